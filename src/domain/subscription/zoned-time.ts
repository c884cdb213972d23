import { DateTime, IANAZone } from 'luxon';

/**
 * Calendar arithmetic in a named IANA zone. Anniversaries are always computed from one anchor
 * (anchor + k years) rather than by adding a year repeatedly, so a 29 February start clamps to
 * 28 February in common years without drifting there forever.
 */

export const DAY_MS = 86_400_000;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function zoned(t: number, zone: string): DateTime {
  return DateTime.fromMillis(t, { zone });
}

export function addYears(t: number, years: number, zone: string): number {
  return zoned(t, zone).plus({ years }).toMillis();
}

export function addMonths(t: number, months: number, zone: string): number {
  return zoned(t, zone).plus({ months }).toMillis();
}

/** Calendar days: keeps the local wall-clock time across DST changes. */
export function addDays(t: number, days: number, zone: string): number {
  return zoned(t, zone).plus({ days }).toMillis();
}

/** Index k of the year [anchor + k years, anchor + k+1 years) that contains t. */
export function yearIndexAt(anchor: number, t: number, zone: string): number {
  let k = Math.floor((t - anchor) / (365.2425 * DAY_MS));
  while (addYears(anchor, k, zone) > t) k -= 1;
  while (addYears(anchor, k + 1, zone) <= t) k += 1;
  return k;
}

/** Index m of the month [start + m months, start + m+1 months) that contains t. */
export function monthIndexAt(start: number, t: number, zone: string): number {
  let m = Math.floor((t - start) / (30.436875 * DAY_MS));
  while (addMonths(start, m, zone) > t) m -= 1;
  while (addMonths(start, m + 1, zone) <= t) m += 1;
  return m;
}

/** Local calendar dates between two instants (b's date minus a's date) in the zone. */
export function localDaysBetween(a: number, b: number, zone: string): number {
  return localDayNumber(b, zone) - localDayNumber(a, zone);
}

function localDayNumber(t: number, zone: string): number {
  const d = zoned(t, zone);
  return Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
}

/** "2026-03-01": the date a customer sees on paper. */
export function localDate(t: number, zone: string): string {
  return zoned(t, zone).toFormat('yyyy-MM-dd');
}

/** "Mon 1 Feb 2027 09:00 Europe/Berlin": en-US because en-GB abbreviates September as "Sept". */
export function humanInstant(t: number, zone: string): string {
  return `${zoned(t, zone).setLocale('en-US').toFormat('ccc d LLL yyyy HH:mm')} ${zone}`;
}
