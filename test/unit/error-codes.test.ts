import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorCodes } from '../../src/api/error-codes';

describe('the error vocabulary', () => {
  it('is snake_case throughout, each code with a status and a sentence', () => {
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(errorCodes[code].status).toBeGreaterThanOrEqual(400);
      expect(errorCodes[code].means.length).toBeGreaterThan(10);
    }
  });

  it('is listed whole in the README, with the status each code answers', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const missing = ERROR_CODES.filter((c) => !readme.includes(`| ${errorCodes[c].status} | \`${c}\` |`));
    expect(missing).toEqual([]);
  });
});
