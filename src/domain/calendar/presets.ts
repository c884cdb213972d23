import type { CalendarSpec, OpenInterval, Weekday } from './types';

/** Named calendars modelled on the vendor policies in the seeds (customers' own words quoted). */

function weekdays(...intervals: OpenInterval[]): Partial<Record<Weekday, OpenInterval[]>> {
  const days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
  return Object.fromEntries(days.map((d) => [d, intervals.map((iv) => ({ ...iv }))]));
}

// Seed 001: "All support times are excluding public holidays in Munich, Germany."
// date-holidays has no Munich region; Munich is a predominantly Catholic municipality, which is what
// DE-BY-KATH models (it adds Assumption Day, 15 Aug, to the Bavarian public holidays).
const MUNICH_PUBLIC_HOLIDAYS = [{ country: 'DE', state: 'BY', region: 'KATH' }];

export const calendarPresets: Record<string, CalendarSpec> = {
  // Seed 001: "EMEA: Monday to Friday 10.am. to 6 pm. CET/CEST (Munich)"
  'emea-berlin': {
    id: 'emea-berlin',
    name: 'EMEA support, Mon-Fri 10-18 Munich time, excluding Munich public holidays',
    timeZone: 'Europe/Berlin',
    weekly: weekdays({ start: '10:00', end: '18:00' }),
    regionalHolidays: MUNICH_PUBLIC_HOLIDAYS,
  },
  // Seed 001: "USA: Monday to Friday 9.am. to 5 pm. EST/EDT (Munich)" and "All support times are
  // excluding public holidays in Munich, Germany." Taken literally: New York hours, Munich holidays
  // (applied to New York's local dates).
  'usa-new-york': {
    id: 'usa-new-york',
    name: 'USA support, Mon-Fri 9-17 New York time, excluding Munich public holidays',
    timeZone: 'America/New_York',
    weekly: weekdays({ start: '09:00', end: '17:00' }),
    regionalHolidays: MUNICH_PUBLIC_HOLIDAYS,
  },
  // Seed 003: "The service is available from Monday to Friday (excluding public holidays), from 9am to
  // 1pm and from 2pm to 6pm." The seed names no zone or country; MailUp is an Italian company, so we
  // assume Europe/Rome and Italian national public holidays.
  'split-day-italy': {
    id: 'split-day-italy',
    name: 'Mon-Fri 9-13 and 14-18 Rome time, excluding Italian public holidays',
    timeZone: 'Europe/Rome',
    weekly: weekdays({ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }),
    regionalHolidays: [{ country: 'IT' }],
  },
  // Seed 002: "Standard provides weekday (9 to 5) phone support with a 24-hour response SLA".
  // The seed names no zone; E-MetroTel's support number 214-556-5917 is a Dallas number, so we
  // assume America/Chicago. It mentions no holidays, so none are applied.
  'weekday-9-5': {
    id: 'weekday-9-5',
    name: 'Weekdays 9-17 Central time',
    timeZone: 'America/Chicago',
    weekly: weekdays({ start: '09:00', end: '17:00' }),
  },
  // Seed 002: "Premium provides weekday (7 to 7) phone support with a 4-hour response SLA." (zone as above)
  'weekday-7-7': {
    id: 'weekday-7-7',
    name: 'Weekdays 7-19 Central time',
    timeZone: 'America/Chicago',
    weekly: weekdays({ start: '07:00', end: '19:00' }),
  },
  // Seed 002: "Premium Plus provides 24/7 phone support with a 2-hour response SLA."
  'always-open': {
    id: 'always-open',
    name: '24/7',
    timeZone: 'America/Chicago',
    alwaysOpen: true,
  },
  // Seed 000: "will receive a one-hour response time, 24/7/365, regardless of when the ticket was
  // submitted. This includes weekends, after SmarterTools' standard business hours, holidays, etc."
  'always-open-365': {
    id: 'always-open-365',
    name: '24/7/365',
    timeZone: 'UTC',
    alwaysOpen: true,
  },
  // Seed 000: "These issues are dealt with during our normal business hours via email and/or phone call."
  // The hours are not in the seed; assumption: SmarterTools is based in Phoenix, Mon-Fri 8-17
  // America/Phoenix (no DST). "Problems occur in the middle of the night, on weekends and on holidays"
  // puts holidays outside business hours without naming them: the US federal holidays (date-holidays'
  // US set, type public, which closes the weekday a weekend holiday is observed on).
  'smartertools-business-hours': {
    id: 'smartertools-business-hours',
    name: 'Standard tickets, Mon-Fri 8-17 Phoenix time (assumed), excluding US federal holidays',
    timeZone: 'America/Phoenix',
    weekly: weekdays({ start: '08:00', end: '17:00' }),
    regionalHolidays: [{ country: 'US' }],
  },
};

export function getCalendarPreset(id: string): CalendarSpec | undefined {
  return Object.hasOwn(calendarPresets, id) ? calendarPresets[id] : undefined;
}
