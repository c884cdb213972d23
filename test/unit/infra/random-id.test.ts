import { describe, expect, it } from 'vitest';
import { randomId } from '../../../src/infra/random-id';

describe('randomId', () => {
  it('is the prefix and 13 characters of Crockford base32, none of them I, L, O or U', () => {
    const ids = Array.from({ length: 2_000 }, () => randomId('T-'));
    for (const id of ids) expect(id).toMatch(/^T-[0-9A-HJKMNP-TV-Z]{13}$/);
    // 2,000 draws of 65 bits: a repeat would mean the bits are not random.
    expect(new Set(ids).size).toBe(ids.length);
    // Every character of the alphabet turns up (26,000 draws of 32), so none is left out.
    expect(new Set(ids.flatMap((id) => [...id.slice(2)])).size).toBe(32);
  });
});
