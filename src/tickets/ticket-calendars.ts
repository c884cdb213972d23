import { freezeHolidays, getCalendarPreset, type CalendarSpec } from '../domain/calendar/index';
import type { SupportPolicy } from '../domain/ticket/index';

/** Tickets live for months, not years; past this a calendar simply observes no more holidays. */
export const HOLIDAY_YEARS_AHEAD = 3;

/**
 * The calendars a ticket workflow needs, holidays frozen into dates from the year before `at` to
 * HOLIDAY_YEARS_AHEAD after it: the sandbox never loads the holiday rules (see calendar/core). A
 * custom calendar in `custom` wins over a preset of the same id.
 */
export function frozenCalendars(
  policies: Iterable<Pick<SupportPolicy, 'calendarId'>>,
  custom: Readonly<Record<string, CalendarSpec>>,
  at: number,
): Record<string, CalendarSpec> {
  const year = new Date(at).getUTCFullYear();
  const out: Record<string, CalendarSpec> = {};
  for (const p of policies) {
    const spec = custom[p.calendarId] ?? getCalendarPreset(p.calendarId);
    if (spec) out[p.calendarId] = freezeHolidays(spec, year - 1, year + HOLIDAY_YEARS_AHEAD);
  }
  return out;
}
