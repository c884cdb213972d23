import { useRegionalHolidaySource } from './compile-calendar';
import { regionalHolidayDays } from './regional-holidays';

// Outside the sandbox every calendar may name regional holiday sets; ./core explains why it cannot.
useRegionalHolidaySource(regionalHolidayDays);

export * from './core';
export { calendarSpecSchema, compileCalendar, validateCalendar, type ValidationResult } from './validate-calendar';
export { expandHolidays, freezeHolidays } from './regional-holidays';
