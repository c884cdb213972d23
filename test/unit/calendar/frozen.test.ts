import { describe, expect, it } from 'vitest';
import { CompiledCalendar } from '../../../src/domain/calendar/core';
import { addBusinessTime, compileCalendar, getCalendarPreset } from '../../../src/domain/calendar/index';
import { getPolicyPreset } from '../../../src/domain/ticket/index';
import { frozenCalendars } from '../../../src/tickets/ticket-calendars';

const HOUR = 3_600_000;
const emea = getCalendarPreset('emea-berlin')!;

describe('calendars frozen for the workflow sandbox', () => {
  it('refuses regional holidays where no holiday source is given, naming the fix', () => {
    expect(() => new CompiledCalendar(emea, null)).toThrow(/freezeHolidays/);
  });

  it('gives the same deadlines as the live rules over the years a ticket carries', () => {
    const openedAt = Date.UTC(2026, 10, 20, 9);
    const frozen = frozenCalendars([getPolicyPreset('smartwork-emea')], {}, openedAt)['emea-berlin']!;
    expect(frozen.regionalHolidays).toBeUndefined();
    expect(frozen.holidays?.map((h) => h.date)).toContain('2027-01-06');
    const live = compileCalendar(emea);
    const sandbox = new CompiledCalendar(frozen, null);
    for (let start = Date.UTC(2025, 11, 20); start < Date.UTC(2029, 11, 20); start += 97 * HOUR) {
      expect(addBusinessTime(sandbox, start, 40 * HOUR)).toBe(addBusinessTime(live, start, 40 * HOUR));
    }
  });

  it('keeps a custom calendar over the preset of the same id', () => {
    const custom = { ...emea, regionalHolidays: [], holidays: [{ date: '2027-03-03' }] };
    const frozen = frozenCalendars([{ calendarId: 'emea-berlin' }], { 'emea-berlin': custom }, Date.UTC(2027, 0, 1));
    expect(frozen['emea-berlin']?.holidays).toEqual([{ date: '2027-03-03' }]);
  });
});
