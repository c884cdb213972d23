import { describe, expect, it } from 'vitest';
import { lineFilter, unbannered } from '../../scripts/fuzz/console-lines';

describe('schemathesis output in the CI log', () => {
  it('loses the pytest-style closing banner, which CI would count as a run of no tests', () => {
    const banner = '============================ 3 warnings in 103.88s =============================';
    expect(unbannered(banner)).toBe('schemathesis finished: 3 warnings in 103.88s');
    expect(unbannered('======= 2 failures, 1 warning in 9.5s =======')).toBe('schemathesis finished: 2 failures, 1 warning in 9.5s');
    expect(unbannered('     ✅ 70 passed')).toBe('     ✅ 70 passed');
    expect(unbannered('━━━━━━━━━━━━━━━━━━━━')).toBe('━━━━━━━━━━━━━━━━━━━━');
  });

  it('rewrites whole lines even when the banner arrives split across chunks', () => {
    let out = '';
    const f = lineFilter((t) => (out += t));
    f.push(Buffer.from('Seed: 1\n\n===== 3 warn'));
    f.push(Buffer.from('ings in 1.00s =====\nlast'));
    f.end();
    expect(out).toBe('Seed: 1\n\nschemathesis finished: 3 warnings in 1.00s\nlast');
  });
});
