import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundHalfUp, splitEvenly } from '../../../src/domain/subscription/index.js';

describe('roundHalfUp', () => {
  it('rounds halves up and everything else to the nearest unit', () => {
    expect([roundHalfUp(5n, 2n), roundHalfUp(3n, 2n), roundHalfUp(1n, 4n), roundHalfUp(3n, 4n), roundHalfUp(0n, 7n)]).toEqual([
      3, 2, 0, 1, 0,
    ]);
  });

  it('stays exact when intermediate products pass 2^53', () => {
    expect(roundHalfUp(10n ** 20n + 5n * 10n ** 9n, 10n ** 10n)).toBe(10_000_000_001);
    expect(roundHalfUp(10n ** 20n + 5n * 10n ** 9n - 1n, 10n ** 10n)).toBe(10_000_000_000);
  });

  it('refuses negative amounts, non-positive denominators and unsafe results', () => {
    expect(() => roundHalfUp(-1n, 2n)).toThrow();
    expect(() => roundHalfUp(1n, 0n)).toThrow();
    expect(() => roundHalfUp(2n ** 60n, 1n)).toThrow();
  });

  it('is within half a unit of the exact ratio', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.bigInt({ min: 10n ** 9n, max: 10n ** 12n }), (n, d) => {
        const r = BigInt(roundHalfUp(n, d));
        expect(2n * (r * d - n) <= d && 2n * (n - r * d) < d).toBe(true);
      }),
    );
  });
});

describe('splitEvenly', () => {
  it('gives leftover cents to the earliest instalments', () => {
    expect(splitEvenly(1_000, 12)).toEqual([84, 84, 84, 84, 83, 83, 83, 83, 83, 83, 83, 83]);
  });

  it('sums exactly and differs by at most one cent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 24 }), (amount, n) => {
        const parts = splitEvenly(amount, n);
        expect(parts.reduce((s, x) => s + x, 0)).toBe(amount);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
