import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/runtime/logger';

describe('log lines', () => {
  it('carry the request id, never an email, a key or the SQL of a failed query', () => {
    const lines: string[] = [];
    const log = createLogger({ LOG_LEVEL: 'info' }, 'test', { write: (line: string) => void lines.push(line) });
    const err = Object.assign(new Error('Failed query: insert into tickets values ($1, $2)\nparams: T-1,ann@example.test'), {
      cause: Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }),
    });
    log.error(
      { err, requestId: 'req-42', req: { headers: { authorization: 'Bearer sf_secret' } }, ticket: { requesterEmail: 'ann@example.test' } },
      'request failed',
    );
    const [line] = lines;
    expect(line).toContain('req-42');
    expect(line).toContain('22021');
    for (const secret of ['insert into', 'ann@example.test', 'sf_secret', 'params:']) expect(line).not.toContain(secret);
  });
});
