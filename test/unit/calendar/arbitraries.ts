import fc from 'fast-check';
import { validateCalendar, type CalendarSpec, type OpenInterval, type Weekday } from '../../../src/domain/calendar/index';

export const ZONES = ['Europe/Berlin', 'America/New_York', 'Europe/Rome', 'America/Phoenix', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export const FROM = Date.UTC(2025, 0, 1);
export const TO = Date.UTC(2029, 0, 1);

const hhmm = (minutes: number): string =>
  minutes === 1440 ? '24:00' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Up to three disjoint intervals on 15-minute marks, the last one possibly running past midnight. */
const dayIntervals = fc
  .tuple(fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 }), fc.boolean())
  .map(([marks, overnight]): OpenInterval[] => {
    const sorted = [...marks].sort((a, b) => a - b).map((m) => m * 15);
    const out: OpenInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push({ start: hhmm(sorted[i] as number), end: hhmm(sorted[i + 1] as number) });
    const last = out[out.length - 1];
    if (overnight && last && last.start !== '24:00' && sorted.length % 2 === 0 && (sorted[0] as number) > 0) {
      // Wrap the last interval past midnight to end before this day's first start.
      last.end = hhmm(Math.floor((sorted[0] as number) / 2 / 15) * 15);
    }
    return out.filter((iv) => iv.start !== '24:00');
  });

const dateIn = fc.integer({ min: 0, max: 4 * 366 - 1 }).map((d) => new Date(FROM + d * 86_400_000).toISOString().slice(0, 10));

const holiday = fc.record(
  { date: dateIn, open: dayIntervals.map((ivs) => ivs.filter((iv) => iv.end > iv.start || iv.end === '24:00')) },
  { requiredKeys: ['date'] },
);

export const calendarArb: fc.Arbitrary<CalendarSpec> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weekly: fc.tuple(...DAYS.map(() => dayIntervals)).map((days) => Object.fromEntries(DAYS.map((d, i) => [d, days[i] ?? []]))),
    holidays: fc.uniqueArray(holiday, { maxLength: 8, selector: (h) => h.date }),
  })
  .filter((spec) => validateCalendar(spec).ok);

export const instantArb = fc.integer({ min: FROM, max: TO - 1 });
/** Durations up to 300 h, half of them on whole minutes so that boundary coincidences happen. */
export const durationArb = fc.oneof(
  fc.integer({ min: 0, max: 300 * 3_600_000 }),
  fc.integer({ min: 0, max: 300 * 60 }).map((m) => m * 60_000),
);
