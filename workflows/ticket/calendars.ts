import { getCalendarPreset, resolveCalendar, type CalendarSpec, type CompiledCalendar } from '../../src/domain/calendar/core';
import type { SupportPolicy } from '../../src/domain/ticket/core';

/**
 * The calendar a policy runs on inside the sandbox: the frozen copy the ticket carries (the API
 * freezes regional holidays into dates), else a preset, which must then have no regional holidays.
 * Compiled once per spec object, so an admin's replacement calendar compiles afresh.
 */
export function sandboxCalendar(
  calendars: Readonly<Record<string, CalendarSpec>> | undefined,
  policy: Pick<SupportPolicy, 'id' | 'calendarId'>,
): CompiledCalendar {
  const spec = calendars?.[policy.calendarId] ?? getCalendarPreset(policy.calendarId);
  if (!spec) throw new RangeError(`policy ${policy.id} names unknown calendar "${policy.calendarId}"`);
  return resolveCalendar(spec);
}
