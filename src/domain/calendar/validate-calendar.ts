import { z } from 'zod';
import type { CalendarSpec, OpenInterval, Weekday } from './types';
import { DAY_MS, parseIsoDate, WEEKDAYS } from './civil-date';
import { intervalOffsets, parseTimeOfDay } from './time-of-day';
import { isKnownZone } from './zone-offsets';
import { regionalHolidayDays, regionalHolidaysProblem } from './regional-holidays';
import { CompiledCalendar } from './compile-calendar';

const timeSchema = z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/, 'expected HH:MM or HH:MM:SS');

const openIntervalSchema = z.strictObject({
  start: timeSchema.refine((s) => parseTimeOfDay(s, false) !== undefined, 'not a time of day (00:00-23:59:59)'),
  end: timeSchema.refine((s) => parseTimeOfDay(s, true) !== undefined, 'not a time of day (00:00-24:00)'),
});

const intervalsSchema = z.array(openIntervalSchema);

const explicitHolidaySchema = z.strictObject({
  date: z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && parseIsoDate(s) !== undefined, 'not a date YYYY-MM-DD'),
  name: z.string().optional(),
  open: intervalsSchema.optional(),
});

const regionalHolidaysSchema = z.strictObject({
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code'),
  state: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  types: z
    .array(z.enum(['public', 'bank', 'school', 'optional', 'observance']))
    .min(1)
    .optional(),
});

const weeklySchema = z.strictObject({
  mon: intervalsSchema.optional(),
  tue: intervalsSchema.optional(),
  wed: intervalsSchema.optional(),
  thu: intervalsSchema.optional(),
  fri: intervalsSchema.optional(),
  sat: intervalsSchema.optional(),
  sun: intervalsSchema.optional(),
});

type Issue = { path: Array<string | number>; message: string };

/** Overlaps among one day's intervals, and of their past-midnight spill with the next day's. */
function overlapIssues(own: OpenInterval[], next: OpenInterval[] | undefined, path: Array<string | number>): Issue[] {
  const issues: Issue[] = [];
  const spans = own.flatMap((iv, i) => {
    const o = intervalOffsets(iv);
    return o ? [{ i, from: o[0], to: o[1] }] : [];
  });
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1];
    const cur = sorted[k];
    if (prev && cur && cur.from < prev.to) {
      issues.push({ path: [...path, cur.i], message: `overlaps interval ${prev.i} of the same day` });
    }
  }
  const nextSpans = (next ?? []).flatMap((iv) => intervalOffsets(iv) ?? []);
  for (const s of spans) {
    if (s.to <= DAY_MS) continue;
    const spillEnd = s.to - DAY_MS;
    for (let j = 0; j < nextSpans.length; j += 2) {
      if ((nextSpans[j] as number) < spillEnd) {
        issues.push({ path: [...path, s.i], message: 'runs past midnight into an interval of the next day' });
        break;
      }
    }
  }
  return issues;
}

/**
 * Shape plus semantic checks (zone, overlaps, dates, holiday regions). The refinement is invisible to
 * OpenAPI generators, which only see the shape.
 */
export const calendarSpecSchema = z
  .strictObject({
    id: z.string().optional(),
    name: z.string().optional(),
    timeZone: z.string().refine(isKnownZone, 'unknown IANA time zone'),
    alwaysOpen: z.boolean().optional(),
    weekly: weeklySchema.optional(),
    holidays: z.array(explicitHolidaySchema).optional(),
    regionalHolidays: z.array(regionalHolidaysSchema).optional(),
  })
  .superRefine((spec, ctx) => {
    const add = (i: Issue): void => {
      ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
    };
    const weekly = spec.weekly ?? {};
    WEEKDAYS.forEach((day, i) => {
      const next = WEEKDAYS[(i + 1) % 7] as Weekday;
      overlapIssues(weekly[day] ?? [], weekly[next], ['weekly', day]).forEach(add);
    });
    if (!spec.alwaysOpen && WEEKDAYS.every((d) => (weekly[d] ?? []).length === 0)) {
      add({ path: ['weekly'], message: 'a calendar that is not alwaysOpen needs at least one weekly interval' });
    }
    const seen = new Map<string, number>();
    (spec.holidays ?? []).forEach((h, i) => {
      const first = seen.get(h.date);
      if (first !== undefined) add({ path: ['holidays', i, 'date'], message: `duplicate of holidays.${first}` });
      else seen.set(h.date, i);
      overlapIssues(h.open ?? [], undefined, ['holidays', i, 'open']).forEach(add);
    });
    (spec.regionalHolidays ?? []).forEach((r, i) => {
      const problem = regionalHolidaysProblem(r);
      if (problem) add({ path: ['regionalHolidays', i], message: problem });
    });
  });

export type ValidationResult = { ok: true; calendar: CalendarSpec } | { ok: false; errors: Array<{ path: string; message: string }> };

export function validateCalendar(spec: unknown): ValidationResult {
  const parsed = calendarSpecSchema.safeParse(spec);
  if (parsed.success) return { ok: true, calendar: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  };
}

/** Validates, then compiles; a RangeError lists every problem with its path. */
export function compileCalendar(spec: CalendarSpec): CompiledCalendar {
  const result = validateCalendar(spec);
  if (!result.ok) {
    throw new RangeError(`invalid calendar: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  return new CompiledCalendar(spec, regionalHolidayDays);
}
