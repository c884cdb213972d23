import { compileCalendar, getCalendarPreset, type CalendarInput, type CompiledCalendar } from '../calendar/index';
import type { SupportPolicy } from './policy';

/** Compiling a calendar expands years of holidays; do it once per preset id per process/isolate. */
const compiled = new Map<string, CompiledCalendar>();

/** The compiled preset calendar a policy names; throws for an unknown id so a typo cannot go unnoticed. */
export function calendarForPolicy(policy: Pick<SupportPolicy, 'id' | 'calendarId'>): CompiledCalendar {
  const cached = compiled.get(policy.calendarId);
  if (cached) return cached;
  const spec = getCalendarPreset(policy.calendarId);
  if (!spec) throw new Error(`policy ${policy.id} names unknown calendar "${policy.calendarId}"`);
  const calendar = compileCalendar(spec);
  compiled.set(policy.calendarId, calendar);
  return calendar;
}

/** How callers that keep their own calendars (stored custom ones, frozen ones in a workflow) plug in. */
export type CalendarResolver = (policy: SupportPolicy) => CalendarInput;
