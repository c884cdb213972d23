/**
 * Calendar model shared by the API, the workflows and the database. Plain JSON so it can travel in
 * workflow inputs and be stored as jsonb; instants are epoch milliseconds (UTC), durations milliseconds.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Local wall-clock interval, "HH:MM" or "HH:MM:SS"; end may be "24:00". end <= start means it runs past midnight. */
export interface OpenInterval {
  start: string;
  end: string;
}

export interface ExplicitHoliday {
  /** Local date, YYYY-MM-DD. */
  date: string;
  name?: string;
  /** Partial day: open only in these intervals (e.g. 24 Dec 09:00-12:00). Omitted = closed all day. */
  open?: OpenInterval[];
}

/** Public holidays generated for any year by a maintained library (date-holidays). */
export interface RegionalHolidays {
  country: string; // ISO 3166-1, e.g. "DE"
  state?: string; // e.g. "BY"
  region?: string; // e.g. "M" (Munich) where the library knows it
  /** Which holiday types close the calendar; default ["public"]. */
  types?: Array<'public' | 'bank' | 'school' | 'optional' | 'observance'>;
}

export interface CalendarSpec {
  id?: string;
  name?: string;
  timeZone: string; // IANA zone, always named explicitly
  /** true: open 24x7x365, weekly and holidays ignored. */
  alwaysOpen?: boolean;
  weekly?: Partial<Record<Weekday, OpenInterval[]>>;
  holidays?: ExplicitHoliday[];
  regionalHolidays?: RegionalHolidays[];
}

/** A span during which a clock is stopped (e.g. waiting on the customer). end undefined = still paused. */
export interface PauseInterval {
  start: number;
  end?: number;
}
