export type { CalendarSpec, ExplicitHoliday, OpenInterval, PauseInterval, RegionalHolidays, Weekday } from './types';
export { calendarSpecSchema, validateCalendar, type ValidationResult } from './validate-calendar';
export { CompiledCalendar, compileCalendar } from './compile-calendar';
export type { CalendarInput } from './resolve-calendar';
export { addBusinessTime, businessTimeBetween, isOpen, nextClose, nextOpen } from './business-time';
export { expandHolidays, freezeHolidays } from './regional-holidays';
export { calendarPresets, getCalendarPreset } from './presets';
