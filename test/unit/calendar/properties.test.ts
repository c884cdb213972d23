import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  compileCalendar,
  isOpen,
  nextClose,
  nextOpen,
  type CalendarSpec,
  type OpenInterval,
  type PauseInterval,
  type Weekday,
} from '../../../src/domain/calendar/index';
import { calendarArb, durationArb, instantArb } from './arbitraries';

const compiled = calendarArb.map((spec) => ({ spec, cal: compileCalendar(spec) }));
const pausesArb = fc
  .array(fc.record({ start: instantArb, length: fc.integer({ min: 0, max: 5 * 86_400_000 }), open: fc.boolean() }), { maxLength: 4 })
  .map((ps) =>
    ps.map((p): PauseInterval => (p.open && p.length % 7 === 0 ? { start: p.start } : { start: p.start, end: p.start + p.length })),
  );

describe('business-time properties', () => {
  it('add then between round-trips exactly', () => {
    fc.assert(
      fc.property(compiled, instantArb, durationArb, ({ cal }, start, d) => {
        const due = addBusinessTime(cal, start, d);
        expect(due).toBeGreaterThanOrEqual(start);
        expect(businessTimeBetween(cal, start, due)).toBe(d);
      }),
      { numRuns: 600 },
    );
  });

  it('a positive duration ends on an open instant or exactly at a close edge', () => {
    fc.assert(
      fc.property(
        compiled,
        instantArb,
        durationArb.filter((d) => d > 0),
        ({ cal }, start, d) => {
          const due = addBusinessTime(cal, start, d);
          // The last counted millisecond [due - 1, due) is open; due itself is open or a close edge.
          expect(isOpen(cal, due - 1)).toBe(true);
          expect(isOpen(cal, due) || nextClose(cal, due - 1) === due).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is monotone in duration and in start', () => {
    fc.assert(
      fc.property(compiled, instantArb, instantArb, durationArb, durationArb, ({ cal }, s1, s2, d1, d2) => {
        const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [x, y] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(addBusinessTime(cal, a, x)).toBeLessThanOrEqual(addBusinessTime(cal, a, y));
        expect(addBusinessTime(cal, a, x)).toBeLessThanOrEqual(addBusinessTime(cal, b, x));
      }),
      { numRuns: 400 },
    );
  });

  it('pauses only ever delay, and add/between agree under pauses', () => {
    fc.assert(
      fc.property(compiled, instantArb, durationArb, pausesArb, ({ cal }, start, d, pauses) => {
        const plain = addBusinessTime(cal, start, d);
        const paused = addBusinessTime(cal, start, d, pauses);
        expect(paused).toBeGreaterThanOrEqual(plain);
        if (Number.isFinite(paused)) expect(businessTimeBetween(cal, start, paused, pauses)).toBe(d);
        else expect(pauses.some((p) => p.end === undefined)).toBe(true);
        expect(businessTimeBetween(cal, start, plain, pauses)).toBeLessThanOrEqual(d);
      }),
      { numRuns: 400 },
    );
  });

  it('businessTimeBetween is additive over any split point', () => {
    fc.assert(
      fc.property(compiled, instantArb, instantArb, instantArb, pausesArb, ({ cal }, a, b, c, pauses) => {
        expect(businessTimeBetween(cal, a, c, pauses)).toBe(
          businessTimeBetween(cal, a, b, pauses) + businessTimeBetween(cal, b, c, pauses),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('nextOpen and nextClose bracket open stretches', () => {
    fc.assert(
      fc.property(compiled, instantArb, ({ cal }, t) => {
        const o = nextOpen(cal, t);
        expect(isOpen(cal, o)).toBe(true);
        expect(businessTimeBetween(cal, t, o)).toBe(0);
        const c = nextClose(cal, o);
        expect(isOpen(cal, c)).toBe(false);
        expect(businessTimeBetween(cal, o, c)).toBe(c - o);
      }),
      { numRuns: 400 },
    );
  });
});

// Independent oracle: convert each instant to a local reading with luxon and apply the documented
// rules directly. Interval edges and zone offsets are multiples of 15 minutes, so sampling every 15
// minutes from a 15-minute mark sees every change.
const DAY_NAMES: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
function minutes(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
function covers(intervals: OpenInterval[] | undefined, minute: number, spill: boolean): boolean {
  return (intervals ?? []).some((iv) => {
    const s = minutes(iv.start);
    const e = minutes(iv.end) <= s ? minutes(iv.end) + 1440 : minutes(iv.end);
    return spill ? s <= minute + 1440 && minute + 1440 < e : s <= minute && minute < e;
  });
}
function oracleOpen(spec: CalendarSpec, t: number): boolean {
  const dt = DateTime.fromMillis(t, { zone: spec.timeZone });
  const prev = dt.minus({ days: 1 });
  const minute = dt.hour * 60 + dt.minute;
  const holiday = (d: DateTime) => spec.holidays?.find((h) => h.date === d.toISODate());
  const weekly = (d: DateTime) => spec.weekly?.[DAY_NAMES[d.weekday - 1] as Weekday];
  const today = holiday(dt);
  const yesterday = holiday(prev);
  const fromWeekly = !today && (covers(weekly(dt), minute, false) || covers(weekly(prev), minute, true));
  return fromWeekly || covers(today?.open, minute, false) || covers(yesterday?.open, minute, true);
}

describe('against a minute-by-minute oracle', () => {
  it('isOpen and businessTimeBetween match the oracle over random 3-day windows', () => {
    fc.assert(
      fc.property(compiled, instantArb, ({ spec, cal }, t0) => {
        const step = 15 * 60_000;
        const start = Math.floor(t0 / step) * step;
        let open = 0;
        for (let m = 0; m < (3 * 1440) / 15; m++) {
          const t = start + m * step;
          const expected = oracleOpen(spec, t);
          if (expected !== isOpen(cal, t))
            expect({ t: new Date(t).toISOString(), open: isOpen(cal, t) }).toEqual({ t: new Date(t).toISOString(), open: expected });
          if (expected) open += step;
        }
        expect(businessTimeBetween(cal, start, start + 3 * 86_400_000)).toBe(open);
      }),
      { numRuns: 150 },
    );
  });
});
