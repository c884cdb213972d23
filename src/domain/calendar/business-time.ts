import type { PauseInterval } from './types';
import type { CompiledCalendar, YearIndex } from './compile-calendar';
import { DAY_MS, yearOfDay } from './civil-date';
import { normalizePauses } from './pauses';
import { resolveCalendar, type CalendarInput } from './resolve-calendar';

/**
 * Business-time operations on instants (epoch ms). Conventions:
 * - Open intervals are half-open [open, close): the close instant itself is closed.
 * - addBusinessTime returns the EARLIEST instant by which `durationMs` of open time has elapsed, so
 *   work that runs out exactly at closing ends at the close instant (14:00 + 4 h on a 9-18 day is
 *   18:00, not 09:00 next day), and duration 0 returns `start` itself even when closed.
 *   Hence businessTimeBetween(start, addBusinessTime(start, d)) === d for every d.
 * - businessTimeBetween(a, b) is antisymmetric: negative when b < a, so it is additive over any split.
 * - Infinity stands for "never": no deadline under an open pause, no closing of a 24x7 calendar.
 */

/** Searches give up and answer Infinity beyond this many years from their start (no SLA runs that long). */
const HORIZON_YEARS = 400;

interface Position {
  year: number;
  yi: YearIndex;
  /** Block index within the year. */
  idx: number;
  /** Open ms from the year start to the instant. */
  cum: number;
}

/** Leaves room for the search horizon below JavaScript's Date limit of ±8.64e15 ms. */
const MAX_ABS_INSTANT = 8e15;

function checkInstant(t: number, what: string): void {
  if (!(Math.abs(t) <= MAX_ABS_INSTANT)) throw new RangeError(`${what} must be an epoch-ms instant within ±8e15, got ${t}`);
}

function yearTotal(yi: YearIndex): number {
  return yi.prefix[yi.blocks.length] as number;
}

function blockOf(yi: YearIndex, idx: number): Float64Array {
  return yi.blocks[idx] as Float64Array;
}

function locate(cal: CompiledCalendar, t: number): Position {
  const day = Math.floor(t / DAY_MS);
  const year = yearOfDay(day);
  const yi = cal.year(year);
  const idx = day - yi.firstDay;
  const block = blockOf(yi, idx);
  let cum = yi.prefix[idx] as number;
  for (let k = 0; k < block.length && (block[k] as number) < t; k += 2) {
    cum += Math.min(block[k + 1] as number, t) - (block[k] as number);
  }
  return { year, yi, idx, cum };
}

/** Smallest block index j >= from with prefix[j + 1] > value (the block where `value` is exceeded). */
function blockExceeding(yi: YearIndex, value: number, from: number): number {
  let lo = from;
  let hi = yi.blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((yi.prefix[mid + 1] as number) > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function rawBetween(cal: CompiledCalendar, a: number, b: number): number {
  if (cal.alwaysOpen) return b - a;
  const pa = locate(cal, a);
  const pb = locate(cal, b);
  if (pa.year === pb.year) return pb.cum - pa.cum;
  let total = yearTotal(pa.yi) - pa.cum + pb.cum;
  for (let y = pa.year + 1; y < pb.year; y++) total += yearTotal(cal.year(y));
  return total;
}

function rawAdd(cal: CompiledCalendar, start: number, duration: number): number {
  if (duration === 0 || cal.alwaysOpen) return start + duration;
  let { year, yi, cum: target } = locate(cal, start);
  const lastYear = year + HORIZON_YEARS;
  target += duration;
  while (target > yearTotal(yi)) {
    target -= yearTotal(yi);
    if (++year > lastYear) return Number.POSITIVE_INFINITY;
    yi = cal.year(year);
  }
  // The first block whose cumulative total reaches target; blocks before it stay strictly below.
  let lo = 0;
  let hi = yi.blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((yi.prefix[mid + 1] as number) >= target) hi = mid;
    else lo = mid + 1;
  }
  let rem = target - (yi.prefix[lo] as number);
  const block = blockOf(yi, lo);
  for (let k = 0; k < block.length; k += 2) {
    const len = (block[k + 1] as number) - (block[k] as number);
    if (rem <= len) return (block[k] as number) + rem;
    rem -= len;
  }
  throw new Error('business-time index inconsistent');
}

function rawNextOpen(cal: CompiledCalendar, t: number): number {
  if (cal.alwaysOpen) return t;
  const { yi, idx, year } = locate(cal, t);
  const block = blockOf(yi, idx);
  for (let k = 0; k < block.length; k += 2) {
    if ((block[k + 1] as number) > t) return Math.max(block[k] as number, t);
  }
  let afterBlock = yi.prefix[idx + 1] as number;
  let from = idx + 1;
  let current = yi;
  for (let y = year; y <= year + HORIZON_YEARS;) {
    if (yearTotal(current) > afterBlock) {
      return blockOf(current, blockExceeding(current, afterBlock, from))[0] as number;
    }
    current = cal.year(++y);
    afterBlock = 0;
    from = 0;
  }
  return Number.POSITIVE_INFINITY;
}

function rawNextClose(cal: CompiledCalendar, t: number): number {
  if (cal.alwaysOpen) return Number.POSITIVE_INFINITY;
  let { yi, idx, year } = locate(cal, t);
  const lastYear = year + HORIZON_YEARS;
  let block = blockOf(yi, idx);
  let end = t;
  for (let k = 0; k < block.length; k += 2) {
    if ((block[k] as number) <= t && t < (block[k + 1] as number)) end = block[k + 1] as number;
  }
  // Open spans are cut at UTC midnights; follow a span into the next block while it continues.
  while (end === (yi.firstDay + idx + 1) * DAY_MS) {
    if (++idx >= yi.blocks.length) {
      if (++year > lastYear) return Number.POSITIVE_INFINITY;
      yi = cal.year(year);
      idx = 0;
    }
    block = blockOf(yi, idx);
    if (block[0] !== end) break;
    if (idx === 0 && yearTotal(yi) === yi.blocks.length * DAY_MS) {
      idx = yi.blocks.length - 1;
      end = (yi.firstDay + yi.blocks.length) * DAY_MS;
    } else {
      end = block[1] as number;
    }
  }
  return end;
}

export function isOpen(calendar: CalendarInput, t: number): boolean {
  checkInstant(t, 't');
  const cal = resolveCalendar(calendar);
  if (cal.alwaysOpen) return true;
  const { yi, idx } = locate(cal, t);
  const block = blockOf(yi, idx);
  for (let k = 0; k < block.length; k += 2) {
    if ((block[k] as number) <= t && t < (block[k + 1] as number)) return true;
  }
  return false;
}

/** `t` itself when open, else the next opening instant (Infinity if none within the horizon). */
export function nextOpen(calendar: CalendarInput, t: number): number {
  checkInstant(t, 't');
  return rawNextOpen(resolveCalendar(calendar), t);
}

/** `t` itself when closed, else the instant the current open stretch ends (Infinity for 24x7). */
export function nextClose(calendar: CalendarInput, t: number): number {
  checkInstant(t, 't');
  return rawNextClose(resolveCalendar(calendar), t);
}

/**
 * The earliest instant T >= start with businessTimeBetween(start, T, pauses) === durationMs.
 * Infinity when a pause without end stops the clock before the duration is used up.
 */
export function addBusinessTime(calendar: CalendarInput, start: number, durationMs: number, pauses?: readonly PauseInterval[]): number {
  checkInstant(start, 'start');
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a finite non-negative number, got ${durationMs}`);
  }
  const cal = resolveCalendar(calendar);
  if (durationMs === 0) return start;
  let t = start;
  let remaining = durationMs;
  for (const p of normalizePauses(pauses)) {
    if (p.end <= t) continue;
    if (p.start > t) {
      const available = rawBetween(cal, t, p.start);
      if (remaining <= available) return rawAdd(cal, t, remaining);
      remaining -= available;
    }
    t = p.end;
    if (!Number.isFinite(t)) return Number.POSITIVE_INFINITY;
  }
  return rawAdd(cal, t, remaining);
}

/** Open ms in [a, b) minus paused time; negative when b < a. */
export function businessTimeBetween(calendar: CalendarInput, a: number, b: number, pauses?: readonly PauseInterval[]): number {
  checkInstant(a, 'a');
  checkInstant(b, 'b');
  const cal = resolveCalendar(calendar);
  if (b < a) return 0 - businessTimeBetween(cal, b, a, pauses);
  let total = rawBetween(cal, a, b);
  for (const p of normalizePauses(pauses)) {
    const from = Math.max(p.start, a);
    const to = Math.min(p.end, b);
    if (from < to) total -= rawBetween(cal, from, to);
  }
  return total;
}
