import type { HourlyRate } from './types';

/** Minutes billed for recorded time: started blocks of the increment, never below the minimum. */
export function billableMinutes(recorded: number, rate: Pick<HourlyRate, 'incrementMinutes' | 'minimumMinutes'>): number {
  if (recorded <= 0) return 0;
  const blocks = Math.ceil(recorded / rate.incrementMinutes) * rate.incrementMinutes;
  return Math.max(blocks, rate.minimumMinutes);
}

/** Whole minor units, halves up: rate per hour x minutes / 60. */
export function hourlyAmount(minutes: number, rateMinor: number): number {
  return Math.floor((rateMinor * minutes * 2 + 60) / 120);
}

/** "1.2.10" < "6.0": numeric per part, so "10" sorts after "9". */
export function releaseBehind(release: string | undefined, current: string): boolean {
  if (!release) return true;
  const a = release.split(/[.\-]/).map((p) => Number.parseInt(p, 10) || 0);
  const b = current.split(/[.\-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}
