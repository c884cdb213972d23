import type { CalendarSpec, OpenInterval, RegionalHolidays } from './types';
import { DAY_MS, daysFromCivil, parseIsoDate, WEEKDAYS, weekdayOfDay, yearOfDay } from './civil-date';
import { intervalOffsets } from './time-of-day';
import { offsetSegments } from './zone-offsets';

/**
 * Semantics of a calendar as a set of open instants:
 *
 *   open = (weekly \ holiday dates) ∪ partial-day openings
 *
 * - Weekly intervals are local wall-clock times owned by the day they start on; end <= start runs
 *   past midnight into the next day.
 * - A wall-clock interval means every instant whose local reading lies inside it. On a spring-forward
 *   day a 02:00-03:00 interval therefore contains no instant at all, and on a fall-back day the
 *   repeated hour counts twice (01:00-04:00 is 4 real hours in Berlin on 2026-10-25, 2 on 2026-03-29).
 * - A holiday closes its whole local date 00:00-24:00 in the calendar's zone, including the tail of an
 *   overnight interval from the day before, but not the tail of its own weekly interval into the next
 *   (non-holiday) date. This is also what Business::Hours (Request Tracker) does.
 * - A partial-day holiday opens exactly its `open` intervals on that date.
 */

type Span = readonly [number, number];

/** Closed local dates (day numbers, with names) of one regional holiday set in one calendar year. */
export type RegionalHolidaySource = (set: RegionalHolidays, year: number) => ReadonlyMap<number, string>;

/**
 * This module never imports the holiday rules (date-holidays and its moment-timezone data, ~8 MB):
 * the workflow sandbox evaluates every imported module once per workflow, so they would cost every
 * cached ticket megabytes. The full entry point (./index) registers the source; the sandbox entry
 * point (./core) does not, and there calendars must arrive with their holidays frozen into dates.
 */
let registeredSource: RegionalHolidaySource | undefined;

export function useRegionalHolidaySource(source: RegionalHolidaySource): void {
  registeredSource = source;
}

export interface YearIndex {
  /** UTC day number of the year's first block; block i covers UTC day firstDay + i. */
  readonly firstDay: number;
  /** Per UTC day, merged open instants as a flat [start0, end0, start1, end1, ...]. */
  readonly blocks: readonly Float64Array[];
  /** prefix[i] = open ms in blocks [0, i); prefix[blocks.length] is the year's total. */
  readonly prefix: Float64Array;
}

function spansOf(intervals: OpenInterval[] | undefined): Span[] {
  return (intervals ?? []).flatMap((iv) => {
    const o = intervalOffsets(iv);
    return o ? [o] : [];
  });
}

/** True when the weekly intervals cover every wall-clock instant of the week. */
function coversWholeWeek(weekly: Span[][]): boolean {
  const week = 7 * DAY_MS;
  const spans: Array<[number, number]> = [];
  weekly.forEach((day, i) => {
    for (const [s, e] of day) {
      const from = i * DAY_MS + s;
      const to = i * DAY_MS + e;
      if (to <= week) spans.push([from, to]);
      else spans.push([from, week], [0, to - week]);
    }
  });
  spans.sort((a, b) => a[0] - b[0]);
  let reached = 0;
  for (const [s, e] of spans) {
    if (s > reached) return false;
    reached = Math.max(reached, e);
  }
  return reached >= week;
}

export class CompiledCalendar {
  readonly spec: CalendarSpec;
  readonly timeZone: string;
  /** Open at every instant: `alwaysOpen`, or weekly hours covering the whole week with no holidays. */
  readonly alwaysOpen: boolean;
  /** Weekly spans by weekday, 0 = Sunday. */
  private readonly weekly: Span[][];
  /** Explicit holidays by local day number: the spans open on that date (empty = closed all day). */
  private readonly explicit = new Map<number, Span[]>();
  private readonly years = new Map<number, YearIndex>();
  private readonly regionalYears = new Map<number, Array<ReadonlyMap<number, string>>>();
  private readonly regional: RegionalHolidaySource | null;

  /**
   * Trusts `spec` to be valid: compileCalendar (./index) validates first; the sandbox gets validated
   * input. `regional` defaults to the registered source; null compiles as the sandbox does.
   */
  constructor(spec: CalendarSpec, regional: RegionalHolidaySource | null = registeredSource ?? null) {
    if (spec.regionalHolidays?.length && !regional) {
      throw new RangeError(
        `calendar ${spec.id ?? spec.timeZone} names regional holidays; freeze them into dates (freezeHolidays) before it reaches the workflow sandbox`,
      );
    }
    this.regional = regional;
    this.spec = spec;
    this.timeZone = spec.timeZone;
    this.weekly = WEEKDAYS.map((d) => spansOf(spec.weekly?.[d]));
    for (const h of spec.holidays ?? []) {
      const day = parseIsoDate(h.date);
      if (day !== undefined) this.explicit.set(day, spansOf(h.open));
    }
    const hasHolidays = this.explicit.size > 0 || (spec.regionalHolidays ?? []).length > 0;
    this.alwaysOpen = spec.alwaysOpen === true || (!hasHolidays && coversWholeWeek(this.weekly));
  }

  /** Block index for a UTC year, built on first use. */
  year(year: number): YearIndex {
    let yi = this.years.get(year);
    if (!yi) {
      yi = this.buildYear(year);
      this.years.set(year, yi);
    }
    return yi;
  }

  /** Open spans of a holiday date, or undefined when the date is a regular day. */
  private holiday(day: number): Span[] | undefined {
    const explicit = this.explicit.get(day);
    if (explicit) return explicit;
    const year = yearOfDay(day);
    let sets = this.regionalYears.get(year);
    if (!sets) {
      const source = this.regional;
      sets = source ? (this.spec.regionalHolidays ?? []).map((r) => source(r, year)) : [];
      this.regionalYears.set(year, sets);
    }
    return sets.some((s) => s.has(day)) ? [] : undefined;
  }

  /** Wall-clock spans (wall ms) that local date `day` contributes, per the semantics above. */
  private wallSpans(day: number): Span[] {
    const base = day * DAY_MS;
    const own = this.holiday(day);
    const nextIsHoliday = this.holiday(day + 1) !== undefined;
    const out: Span[] = [];
    for (const [s, e] of this.weekly[weekdayOfDay(day)] ?? []) {
      const from = own ? Math.max(s, DAY_MS) : s;
      const to = nextIsHoliday ? Math.min(e, DAY_MS) : e;
      if (from < to) out.push([base + from, base + to]);
    }
    for (const [s, e] of own ?? []) out.push([base + s, base + e]);
    return out;
  }

  private buildYear(year: number): YearIndex {
    const firstDay = daysFromCivil(year, 1, 1);
    const endDay = daysFromCivil(year + 1, 1, 1);
    const yearFrom = firstDay * DAY_MS;
    const yearTo = endDay * DAY_MS;
    // Offsets stay within ±1 day, so a date's instants lie within (base - 1 day, base + 3 days).
    const instants: Array<[number, number]> = [];
    const segments = offsetSegments(this.timeZone, yearFrom - 3 * DAY_MS, yearTo + 3 * DAY_MS);
    for (let day = firstDay - 2; day <= endDay; day++) {
      for (const [wFrom, wTo] of this.wallSpans(day)) {
        for (const seg of segments) {
          const from = Math.max(seg.from, wFrom - seg.offset, yearFrom);
          const to = Math.min(seg.to, wTo - seg.offset, yearTo);
          if (from < to) instants.push([from, to]);
        }
      }
    }
    instants.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const span of instants) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([span[0], span[1]]);
    }
    const count = endDay - firstDay;
    const perBlock: number[][] = Array.from({ length: count }, () => []);
    for (const [s, e] of merged) {
      for (let b = Math.floor(s / DAY_MS); b * DAY_MS < e; b++) {
        const from = Math.max(s, b * DAY_MS);
        const to = Math.min(e, (b + 1) * DAY_MS);
        perBlock[b - firstDay]?.push(from, to);
      }
    }
    const prefix = new Float64Array(count + 1);
    const blocks = perBlock.map((flat, i) => {
      let total = 0;
      for (let k = 0; k < flat.length; k += 2) total += (flat[k + 1] as number) - (flat[k] as number);
      prefix[i + 1] = (prefix[i] as number) + total;
      return Float64Array.from(flat);
    });
    return { firstDay, blocks, prefix };
  }
}
