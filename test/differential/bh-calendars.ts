import fc from 'fast-check';
import {
  addBusinessTime,
  businessTimeBetween,
  compileCalendar,
  isOpen,
  nextOpen,
  type CalendarSpec,
  type OpenInterval,
  type Weekday,
} from '../../src/domain/calendar/index';
import type { BhCalendar, BhCase, BhDay } from './perl';

/**
 * Random calendars both engines can express, and cases on them. Restrictions, each because of a
 * documented Business::Hours behaviour that differs from ours on purpose:
 * - No interval edge strictly between 01:00 and 03:00 local (where US, EU and Sydney readings are
 *   skipped or repeated): Time::Local resolves such a reading to one instant, we treat a wall-clock
 *   interval as the set of instants with that reading, so a repeated half hour counts twice.
 * - Holidays are not DST-change dates: B::H closes [local midnight, +86400 s], 23 or 25 h wrong.
 * - No holiday whose following local midnight is open: B::H's closed range is inclusive and also
 *   removes the first second of the next day.
 * - An overnight tail ends no later than its own day's first start: B::H has one Start/End per day
 *   and only reads End <= Start as past midnight.
 * - Saturday intervals do not run past midnight: for_timespan starts at the Sunday of the start week
 *   and never generates the previous Saturday's overnight tail.
 */

export const BH_ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'Europe/Rome',
  'Asia/Kolkata',
  'Australia/Sydney',
  'America/Phoenix',
  'UTC',
];
const DAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ALLOWED_MARKS = Array.from({ length: 97 }, (_, i) => i * 15).filter((m) => m <= 60 || m >= 180);
const NIGHT_ENDS = ALLOWED_MARKS.filter((m) => m <= 60);

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

interface DayPlan {
  marks: number[];
  nightEnd: number | undefined;
}

const dayPlan: fc.Arbitrary<DayPlan | undefined> = fc.option(
  fc.record({
    marks: fc
      .uniqueArray(fc.constantFrom(...ALLOWED_MARKS), { minLength: 2, maxLength: 6 })
      .map((ms) => [...ms].sort((a, b) => a - b))
      .map((ms) => (ms.length % 2 === 0 ? ms : ms.slice(0, -1))),
    nightEnd: fc.option(fc.constantFrom(...NIGHT_ENDS), { nil: undefined, freq: 4 }),
  }),
  { nil: undefined, freq: 3 },
);

function intervalsOf(plans: Array<DayPlan | undefined>): OpenInterval[][] {
  return plans.map((plan, i) => {
    if (!plan) return [];
    const ivs: OpenInterval[] = [];
    for (let k = 0; k < plan.marks.length; k += 2)
      ivs.push({ start: hhmm(plan.marks[k] as number), end: hhmm(plan.marks[k + 1] as number) });
    const next = plans[(i + 1) % 7];
    const last = ivs[ivs.length - 1];
    const nextStart = next ? (next.marks[0] as number) : 1440;
    if (
      last &&
      plan.nightEnd !== undefined &&
      i !== 6 &&
      plan.marks[plan.marks.length - 1] === 1440 &&
      plan.nightEnd <= nextStart &&
      plan.nightEnd <= (plan.marks[0] as number)
    ) {
      // B::H spells overnight as End <= Start, so the tail must also end before the day's own first start.
      last.end = hhmm(plan.nightEnd);
    }
    return ivs;
  });
}

function toBh(days: OpenInterval[][]): Record<string, BhDay> {
  const weekly: Record<string, BhDay> = {};
  days.forEach((ivs, dow) => {
    const first = ivs[0];
    const last = ivs[ivs.length - 1];
    if (!first || !last) return;
    const breaks = ivs.slice(1).map((iv, k) => ({ Start: (ivs[k] as OpenInterval).end, End: iv.start }));
    weekly[String(dow)] = { Start: first.start, End: last.end, ...(breaks.length ? { Breaks: breaks } : {}) };
  });
  return weekly;
}

export interface DiffCalendar {
  spec: CalendarSpec;
  bh: BhCalendar;
  cases: Array<{ bh: BhCase; expected: number }>;
}

const FROM_S = Date.UTC(2025, 0, 1) / 1000;
const TO_S = Date.UTC(2028, 11, 1) / 1000;
const DAY_S = 86_400;

const startArb = fc.oneof(
  fc.integer({ min: FROM_S, max: TO_S }),
  // Around DST changes: late March/early April and October/early November.
  fc
    .tuple(fc.integer({ min: 2025, max: 2028 }), fc.constantFrom(2, 3, 9, 10), fc.integer({ min: 0, max: 40 * DAY_S }))
    .map(([y, m, s]) => Date.UTC(y, m, 15) / 1000 + s),
);

const planArb = fc.record({
  zone: fc.constantFrom(...BH_ZONES),
  days: fc.tuple(...DAYS.map(() => dayPlan)),
  starts: fc.array(fc.tuple(startArb, fc.nat(), fc.boolean()), { minLength: 10, maxLength: 10 }),
  holidayOffsets: fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 5 }),
});

function minutesOf(hm: string): number {
  return Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
}

function localDate(t: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
}

function localMidnight(date: string, zone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  // Offsets are within ±14 h: find the first instant whose local date is `date`.
  let lo = guess - 15 * 3_600_000;
  let hi = guess + 15 * 3_600_000;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (localDate(mid, zone) < date) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Builds calendars and cases; expected values map our conventions onto Business::Hours' ones. */
export function generateDiffCalendars(count: number, seed: number): DiffCalendar[] {
  return fc.sample(planArb, { numRuns: count, seed }).flatMap((plan) => {
    const days = intervalsOf(plan.days);
    if (days.every((d) => d.length === 0)) return [];
    const weekly = Object.fromEntries(DAYS.map((d, i) => [d, days[i] ?? []]));
    const base: CalendarSpec = { timeZone: plan.zone, weekly };
    const baseCal = compileCalendar(base);
    const anchor = plan.starts[0]?.[0] ?? FROM_S;
    const holidays = plan.holidayOffsets
      .map((off) => localDate((anchor + off * DAY_S) * 1000, plan.zone))
      .filter((date) => {
        const next = localDate(localMidnight(date, plan.zone) + 30 * 3_600_000, plan.zone);
        const m0 = localMidnight(date, plan.zone);
        const m1 = localMidnight(next, plan.zone);
        return m1 - m0 === 86_400_000 && !isOpen(baseCal, m1);
      });
    const spec: CalendarSpec = { ...base, holidays: holidays.map((date) => ({ date })) };
    const cal = compileCalendar(spec);
    const bh: BhCalendar = { weekly: toBh(days), holidays };
    const weekSeconds = days.flat().reduce((sum, iv) => {
      const s = minutesOf(iv.start);
      const e = minutesOf(iv.end);
      return sum + ((e <= s ? e + 1440 : e) - s) * 60;
    }, 0);
    const cases = plan.starts.map(([start, n, isAdd]): { bh: BhCase; expected: number } => {
      if (isAdd) {
        // Keep B::H inside its 30-day search window: at most two weeks' worth, capped at 60 h.
        const seconds = n % Math.max(1, Math.min(2 * weekSeconds, 60 * 3600));
        // B::H returns the first business SECOND at or after the moment the time is used up, i.e.
        // the next opening where we return the close edge (our documented convention).
        const expected = nextOpen(cal, addBusinessTime(cal, start * 1000, seconds * 1000)) / 1000;
        return { bh: { calendar: bh, op: 'add', start, seconds }, expected };
      }
      const end = start + (n % (10 * DAY_S));
      // B::H counts business seconds in [start, end] inclusive: our [start, end + 1 s).
      return { bh: { calendar: bh, op: 'between', start, end }, expected: businessTimeBetween(cal, start * 1000, (end + 1) * 1000) / 1000 };
    });
    return [{ spec, bh, cases }];
  });
}
