import type { CalendarSpec } from './types';
import { CompiledCalendar } from './compile-calendar';

export type CalendarInput = CalendarSpec | CompiledCalendar;

// Specs are treated as immutable values: mutating one after first use would leave a stale compilation.
const compiled = new WeakMap<CalendarSpec, CompiledCalendar>();

export function resolveCalendar(input: CalendarInput): CompiledCalendar {
  if (input instanceof CompiledCalendar) return input;
  let cal = compiled.get(input);
  if (!cal) {
    cal = new CompiledCalendar(input);
    compiled.set(input, cal);
  }
  return cal;
}
