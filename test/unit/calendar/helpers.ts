import { DateTime } from 'luxon';

export const HOUR = 3_600_000;

/** Instant of a local wall-clock reading; fails on readings that do not exist in the zone. */
export function at(iso: string, zone: string): number {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`invalid ${iso} in ${zone}`);
  return dt.toMillis();
}

/** Local ISO reading with offset, for readable assertions. */
export function local(t: number, zone: string): string {
  return DateTime.fromMillis(t, { zone }).toISO({ suppressMilliseconds: true }) ?? 'invalid';
}
