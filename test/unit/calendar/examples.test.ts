import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  compileCalendar,
  freezeHolidays,
  getCalendarPreset,
  isOpen,
  nextClose,
  nextOpen,
  type CalendarSpec,
  type Weekday,
} from '../../../src/domain/calendar/index';
import { at, HOUR, local } from './helpers';

function preset(id: string): CalendarSpec {
  const spec = getCalendarPreset(id);
  if (!spec) throw new Error(`missing preset ${id}`);
  return spec;
}

const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
function everyDay(start: string, end: string, timeZone: string, extra: Partial<CalendarSpec> = {}): CalendarSpec {
  return { timeZone, weekly: Object.fromEntries(ALL_DAYS.map((d) => [d, [{ start, end }]])), ...extra };
}
const nineToSix = (timeZone: string, extra: Partial<CalendarSpec> = {}): CalendarSpec => ({
  timeZone,
  weekly: Object.fromEntries(ALL_DAYS.slice(0, 5).map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
  ...extra,
});

describe('seed scenarios', () => {
  it('003: Friday 12:30 + 4 working hours = Friday 17:30, lunch 13-14 skipped', () => {
    const cal = preset('split-day-italy');
    const due = addBusinessTime(cal, at('2026-05-08T12:30', 'Europe/Rome'), 4 * HOUR);
    expect(local(due, 'Europe/Rome')).toBe('2026-05-08T17:30:00+02:00');
  });

  it('003: Italian public holidays close the day (Festa della Repubblica, Tue 2 June 2026)', () => {
    const cal = preset('split-day-italy');
    const due = addBusinessTime(cal, at('2026-06-01T17:00', 'Europe/Rome'), 2 * HOUR);
    expect(local(due, 'Europe/Rome')).toBe('2026-06-03T10:00:00+02:00');
  });

  it('001 EMEA: 17:00 the evening before Corpus Christi (Bavarian public holiday) lands after it', () => {
    const cal = preset('emea-berlin');
    const due = addBusinessTime(cal, at('2026-06-03T17:00', 'Europe/Berlin'), 4 * HOUR);
    expect(local(due, 'Europe/Berlin')).toBe('2026-06-05T13:00:00+02:00');
  });

  it('001 EMEA: Christmas, 24 Dec is a working day, 25/26 Dec and the weekend are not', () => {
    const cal = preset('emea-berlin');
    const start = at('2026-12-23T17:00', 'Europe/Berlin');
    expect(local(addBusinessTime(cal, start, 4 * HOUR), 'Europe/Berlin')).toBe('2026-12-24T13:00:00+01:00');
    expect(local(addBusinessTime(cal, start, 12 * HOUR), 'Europe/Berlin')).toBe('2026-12-28T13:00:00+01:00');
  });

  it('001 EMEA: Assumption Day (15 Aug, public in Munich) is closed', () => {
    const cal = preset('emea-berlin');
    const due = addBusinessTime(cal, at('2025-08-14T17:00', 'Europe/Berlin'), 4 * HOUR);
    expect(local(due, 'Europe/Berlin')).toBe('2025-08-18T13:00:00+02:00');
  });

  it('001 USA: Munich holidays close New York dates (Epiphany, Tue 6 Jan 2026)', () => {
    const cal = preset('usa-new-york');
    expect(isOpen(cal, at('2026-01-06T12:00', 'America/New_York'))).toBe(false);
    const due = addBusinessTime(cal, at('2026-01-05T16:00', 'America/New_York'), 2 * HOUR);
    expect(local(due, 'America/New_York')).toBe('2026-01-07T10:00:00-05:00');
  });

  it('002: Premium 4-hour response on a 7-to-7 weekday calendar in Dallas', () => {
    const due = addBusinessTime(preset('weekday-7-7'), at('2026-07-10T17:00', 'America/Chicago'), 4 * HOUR);
    expect(local(due, 'America/Chicago')).toBe('2026-07-13T09:00:00-05:00');
  });

  it('000: emergency tickets get one hour, 24/7/365', () => {
    const start = at('2026-12-25T03:00', 'UTC');
    expect(addBusinessTime(preset('always-open-365'), start, HOUR)).toBe(start + HOUR);
  });
});

describe('edges and conventions', () => {
  const cal = nineToSix('Europe/Berlin');

  it('work ending exactly at closing returns the close instant', () => {
    const due = addBusinessTime(cal, at('2026-06-10T14:00', 'Europe/Berlin'), 4 * HOUR);
    expect(local(due, 'Europe/Berlin')).toBe('2026-06-10T18:00:00+02:00');
    expect(isOpen(cal, due)).toBe(false);
  });

  it('duration 0 returns the start itself, even when closed', () => {
    const sunday = at('2026-06-14T12:00', 'Europe/Berlin');
    expect(addBusinessTime(cal, sunday, 0)).toBe(sunday);
    expect(addBusinessTime(cal, sunday, 1)).toBe(at('2026-06-15T09:00', 'Europe/Berlin') + 1);
  });

  it('open intervals are half-open: the close instant is closed, the open instant is open', () => {
    expect(isOpen(cal, at('2026-06-10T09:00', 'Europe/Berlin'))).toBe(true);
    expect(isOpen(cal, at('2026-06-10T18:00', 'Europe/Berlin'))).toBe(false);
    expect(isOpen(cal, at('2026-06-10T18:00', 'Europe/Berlin') - 1)).toBe(true);
  });

  it('nextOpen / nextClose', () => {
    const fri = at('2026-06-12T19:00', 'Europe/Berlin');
    expect(local(nextOpen(cal, fri), 'Europe/Berlin')).toBe('2026-06-15T09:00:00+02:00');
    const open = at('2026-06-12T10:00', 'Europe/Berlin');
    expect(nextOpen(cal, open)).toBe(open);
    expect(local(nextClose(cal, open), 'Europe/Berlin')).toBe('2026-06-12T18:00:00+02:00');
    expect(nextClose(cal, fri)).toBe(fri);
  });

  it('crosses the year end and a leap day', () => {
    expect(local(addBusinessTime(cal, at('2026-12-31T17:30', 'Europe/Berlin'), HOUR), 'Europe/Berlin')).toBe('2027-01-01T09:30:00+01:00');
    expect(local(addBusinessTime(cal, at('2028-02-28T17:00', 'Europe/Berlin'), 2 * HOUR), 'Europe/Berlin')).toBe(
      '2028-02-29T10:00:00+01:00',
    );
    const leap = at('2028-02-29T00:00', 'Europe/Berlin');
    expect(businessTimeBetween(cal, leap, at('2028-03-01T00:00', 'Europe/Berlin'))).toBe(9 * HOUR);
  });

  it('partial holiday: 24 Dec open 09:00-12:00 only', () => {
    const xmas = nineToSix('Europe/Berlin', { holidays: [{ date: '2026-12-24', open: [{ start: '09:00', end: '12:00' }] }] });
    const due = addBusinessTime(xmas, at('2026-12-24T11:00', 'Europe/Berlin'), 2 * HOUR);
    expect(local(due, 'Europe/Berlin')).toBe('2026-12-25T10:00:00+01:00');
    expect(businessTimeBetween(xmas, at('2026-12-24T00:00', 'Europe/Berlin'), at('2026-12-25T00:00', 'Europe/Berlin'))).toBe(3 * HOUR);
  });

  it('overnight intervals spill into the next day; a holiday closes its whole date', () => {
    const night: CalendarSpec = { timeZone: 'UTC', weekly: { mon: [{ start: '22:00', end: '02:00' }] } };
    expect(businessTimeBetween(night, at('2026-06-01T00:00', 'UTC'), at('2026-06-03T00:00', 'UTC'))).toBe(4 * HOUR);
    const tueHoliday = { ...night, holidays: [{ date: '2026-06-02' }] };
    expect(businessTimeBetween(tueHoliday, at('2026-06-01T00:00', 'UTC'), at('2026-06-03T00:00', 'UTC'))).toBe(2 * HOUR);
    const monHoliday = { ...night, holidays: [{ date: '2026-06-01' }] };
    expect(businessTimeBetween(monHoliday, at('2026-06-01T00:00', 'UTC'), at('2026-06-03T00:00', 'UTC'))).toBe(2 * HOUR);
  });
});

describe('daylight saving time', () => {
  it('Berlin spring forward (2026-03-29): a nonexistent 02:00-03:00 contributes nothing', () => {
    const gap = everyDay('02:00', '03:00', 'Europe/Berlin');
    const day = [at('2026-03-29T00:00', 'Europe/Berlin'), at('2026-03-30T00:00', 'Europe/Berlin')] as const;
    expect(businessTimeBetween(gap, ...day)).toBe(0);
    const around = everyDay('01:00', '04:00', 'Europe/Berlin');
    expect(businessTimeBetween(around, ...day)).toBe(2 * HOUR);
    expect(new Date(addBusinessTime(around, day[0], 90 * 60_000)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('Berlin fall back (2026-10-25): the repeated hour counts twice', () => {
    const day = [at('2026-10-25T00:00', 'Europe/Berlin'), at('2026-10-26T00:00', 'Europe/Berlin')] as const;
    expect(businessTimeBetween(everyDay('02:00', '03:00', 'Europe/Berlin'), ...day)).toBe(2 * HOUR);
    const around = everyDay('01:00', '04:00', 'Europe/Berlin');
    expect(businessTimeBetween(around, ...day)).toBe(4 * HOUR);
    // 01:00 CEST + 90 min = 02:30 CEST, the first 02:30 of the night.
    expect(new Date(addBusinessTime(around, at('2026-10-25T01:00', 'Europe/Berlin'), 90 * 60_000)).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    // + 150 min = 02:30 CET, the second one.
    expect(new Date(addBusinessTime(around, at('2026-10-25T01:00', 'Europe/Berlin'), 150 * 60_000)).toISOString()).toBe(
      '2026-10-25T01:30:00.000Z',
    );
  });

  it('weekday hours across the Berlin spring change are exact in UTC', () => {
    const cal = nineToSix('Europe/Berlin');
    const due = addBusinessTime(cal, at('2026-03-27T17:00', 'Europe/Berlin'), 2 * HOUR);
    expect(new Date(due).toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('New York: 23-hour and 25-hour days on a 24-hour calendar', () => {
    const cal = everyDay('00:00', '24:00', 'America/New_York', { holidays: [{ date: '2099-01-01' }] });
    const spring = businessTimeBetween(cal, at('2026-03-08T00:00', 'America/New_York'), at('2026-03-09T00:00', 'America/New_York'));
    const fall = businessTimeBetween(cal, at('2026-11-01T00:00', 'America/New_York'), at('2026-11-02T00:00', 'America/New_York'));
    expect([spring, fall]).toEqual([23 * HOUR, 25 * HOUR]);
    const usa = preset('usa-new-york');
    const due = addBusinessTime(usa, at('2026-10-30T16:00', 'America/New_York'), 2 * HOUR);
    expect(new Date(due).toISOString()).toBe('2026-11-02T15:00:00.000Z');
  });
});

describe('24x7', () => {
  const always: CalendarSpec = { timeZone: 'Europe/Berlin', alwaysOpen: true };
  // The far-future holiday forces the general (indexed) path instead of the whole-week shortcut.
  const weeklyFull = everyDay('00:00', '24:00', 'Europe/Berlin', { holidays: [{ date: '2199-01-01' }] });

  it('00:00-24:00 every day has no gap at midnight and equals alwaysOpen', () => {
    expect(compileCalendar(weeklyFull).alwaysOpen).toBe(false);
    const beforeMidnight = at('2026-03-28T23:59:59.999', 'Europe/Berlin');
    expect(addBusinessTime(weeklyFull, beforeMidnight, 2)).toBe(beforeMidnight + 2);
    expect(isOpen(weeklyFull, beforeMidnight + 1)).toBe(true);
    const a = at('2026-03-20T13:00', 'Europe/Berlin');
    const b = at('2026-11-20T13:00', 'Europe/Berlin');
    expect(businessTimeBetween(weeklyFull, a, b)).toBe(b - a);
    expect(businessTimeBetween(always, a, b)).toBe(b - a);
    expect(addBusinessTime(weeklyFull, a, 2000 * HOUR)).toBe(a + 2000 * HOUR);
    expect(nextClose(always, a)).toBe(Number.POSITIVE_INFINITY);
  });

  it('the whole-week shortcut kicks in without holidays', () => {
    expect(compileCalendar(everyDay('00:00', '24:00', 'Europe/Berlin')).alwaysOpen).toBe(true);
    expect(compileCalendar(everyDay('06:00', '06:00', 'Europe/Berlin')).alwaysOpen).toBe(true);
  });
});

describe('pauses', () => {
  const cal = nineToSix('UTC');
  const mon9 = at('2026-06-01T09:00', 'UTC');

  it('a pause stops the clock; an open pause stops it for good', () => {
    const pause = { start: at('2026-06-01T10:00', 'UTC'), end: at('2026-06-01T12:00', 'UTC') };
    expect(local(addBusinessTime(cal, mon9, 3 * HOUR, [pause]), 'UTC')).toBe('2026-06-01T14:00:00Z');
    expect(businessTimeBetween(cal, mon9, at('2026-06-01T14:00', 'UTC'), [pause])).toBe(3 * HOUR);
    expect(addBusinessTime(cal, mon9, 3 * HOUR, [{ start: pause.start }])).toBe(Number.POSITIVE_INFINITY);
    expect(addBusinessTime(cal, mon9, HOUR, [{ start: pause.start }])).toBe(pause.start);
    expect(businessTimeBetween(cal, mon9, at('2026-06-02T18:00', 'UTC'), [{ start: pause.start }])).toBe(HOUR);
  });

  it('a pause already running at the start holds the clock until it ends', () => {
    const pause = { start: at('2026-05-29T10:00', 'UTC'), end: at('2026-06-01T11:00', 'UTC') };
    expect(local(addBusinessTime(cal, mon9, HOUR, [pause]), 'UTC')).toBe('2026-06-01T12:00:00Z');
  });

  it('rejects bad input', () => {
    expect(() => addBusinessTime(cal, mon9, -1)).toThrow(RangeError);
    expect(() => addBusinessTime(cal, Number.NaN, 1)).toThrow(RangeError);
    expect(() => isOpen(cal, 9e15)).toThrow(RangeError);
    expect(() => businessTimeBetween(cal, mon9, mon9 + 1, [{ start: 5, end: 1 }])).toThrow(RangeError);
  });

  it('businessTimeBetween is antisymmetric', () => {
    const later = at('2026-06-03T12:00', 'UTC');
    expect(businessTimeBetween(cal, later, mon9)).toBe(-businessTimeBetween(cal, mon9, later));
  });
});

describe('freezeHolidays', () => {
  it('turns regional sets into dates that give the same deadlines, without the holiday rules', () => {
    const spec = getCalendarPreset('emea-berlin')!;
    const frozen = freezeHolidays(spec, 2026, 2028);
    expect(frozen.regionalHolidays).toBeUndefined();
    expect(frozen.holidays?.some((h) => h.date === '2027-01-06')).toBe(true);
    for (const start of [Date.UTC(2026, 11, 23, 16), Date.UTC(2027, 0, 5, 16), Date.UTC(2027, 7, 14, 9), Date.UTC(2028, 4, 31, 12)]) {
      expect(addBusinessTime(frozen, start, 12 * 3_600_000)).toBe(addBusinessTime(spec, start, 12 * 3_600_000));
    }
  });
});
