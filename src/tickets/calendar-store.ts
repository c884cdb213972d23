import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { calendars } from '../db/schema';
import { calendarPresets, calendarSpecSchema, type CalendarSpec } from '../domain/calendar/index';

/** Where custom (stored) calendars are found; preset ids are fixed and never stored. */
export interface CalendarStore {
  get(id: string): Promise<CalendarSpec | undefined>;
}

export function presetCalendarStore(extra: Record<string, CalendarSpec> = {}): CalendarStore {
  return { get: async (id) => extra[id] ?? calendarPresets[id] };
}

export function dbCalendarStore(db: Db): CalendarStore {
  return {
    async get(id) {
      if (calendarPresets[id]) return calendarPresets[id];
      const [row] = await db.select({ spec: calendars.spec }).from(calendars).where(eq(calendars.id, id));
      return row ? calendarSpecSchema.parse(row.spec) : undefined;
    },
  };
}
