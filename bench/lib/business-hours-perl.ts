import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CalendarSpec, Weekday } from '../../src/domain/calendar/index';

/** The differential-test driver doubles as the Business::Hours side of the benchmark. */
const DRIVER = fileURLToPath(new URL('../../test/differential/business-hours-driver.pl', import.meta.url));

export interface PerlBenchCase {
  label: string;
  op: 'add' | 'add_chained';
  start: number;
  seconds?: number;
  chunks?: number[];
}

export interface PerlBenchResult {
  label: string;
  iterations: number;
  seconds: number;
  opsPerSec: number;
}

const DOW: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Business::Hours form of a one-interval-per-day calendar with explicit holiday dates. */
export function toBusinessHours(spec: CalendarSpec, holidayDates: string[]): object {
  const weekly: Record<string, { Start: string; End: string }> = {};
  DOW.forEach((d, i) => {
    const ivs = spec.weekly?.[d] ?? [];
    if (ivs.length > 1) throw new Error('bench calendars use one interval per day');
    const iv = ivs[0];
    if (iv) weekly[String(i)] = { Start: iv.start, End: iv.end };
  });
  return { weekly, holidays: holidayDates };
}

export function businessHoursInstalled(): boolean {
  return spawnSync('perl', ['-MBusiness::Hours', '-MJSON::PP', '-MTime::HiRes', '-e', '1']).status === 0;
}

function run(timeZone: string, payload: object): unknown[] {
  const r = spawnSync('perl', [DRIVER], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    env: { ...process.env, TZ: timeZone },
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`Business::Hours driver failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: unknown[] }).results;
}

/** Epoch-second results of each case, for checking both engines computed the same thing. */
export function perlResults(timeZone: string, calendar: object, cases: PerlBenchCase[]): number[] {
  return run(timeZone, { cases: cases.map((c) => ({ ...c, calendar })) }) as number[];
}

/** ops/s of each case, timed inside Perl so process start-up is excluded. */
export function perlBench(timeZone: string, calendar: object, cases: PerlBenchCase[], iterations: number): PerlBenchResult[] {
  return run(timeZone, { bench: { iterations }, cases: cases.map((c) => ({ ...c, calendar })) }) as PerlBenchResult[];
}
