/**
 * The part of the calendar engine the workflow sandbox loads: no zod, no holiday rules. Calendars
 * reach it validated and with their regional holidays frozen into dates (freezeHolidays, ./index).
 */
export type { CalendarSpec, ExplicitHoliday, OpenInterval, PauseInterval, RegionalHolidays, Weekday } from './types';
export { CompiledCalendar, type RegionalHolidaySource } from './compile-calendar';
export { resolveCalendar, type CalendarInput } from './resolve-calendar';
export { addBusinessTime, businessTimeBetween, isOpen, nextClose, nextOpen } from './business-time';
export { calendarPresets, getCalendarPreset } from './presets';
