/**
 * Integer money arithmetic. Intermediate products (price x seats x days x basis points) can pass
 * 2^53, so ratios are computed in BigInt and rounded exactly once, half up to the minor unit.
 */

const BPS = 10_000n;

/** round(numerator / denominator), halves rounded up; both non-negative. */
export function roundHalfUp(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n) throw new Error('denominator must be positive');
  if (numerator < 0n) throw new Error('amounts are never negative');
  const rounded = (2n * numerator + denominator) / (2n * denominator);
  if (rounded > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('amount exceeds the safe integer range');
  return Number(rounded);
}

/** amount x (1 - discount) x parts / whole, rounded once. */
export function discountedFraction(amountMinor: number, discountBps: number, parts: number, whole: number): number {
  return roundHalfUp(BigInt(amountMinor) * (BPS - BigInt(discountBps)) * BigInt(parts), BPS * BigInt(whole));
}

export function applyBps(amountMinor: number, bps: number): number {
  return roundHalfUp(BigInt(amountMinor) * BigInt(bps), BPS);
}

/**
 * Splits an amount into n instalments that sum exactly to it: every instalment gets the floor and
 * the leftover cents go one each to the earliest instalments, so the customer never pays more than
 * the annual commitment and instalments differ by at most one cent.
 */
export function splitEvenly(amountMinor: number, n: number): number[] {
  const base = Math.floor(amountMinor / n);
  const extra = amountMinor - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}
