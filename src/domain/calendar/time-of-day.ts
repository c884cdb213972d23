import type { OpenInterval } from './types';
import { DAY_MS } from './civil-date';

const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "HH:MM" or "HH:MM:SS" to ms after local midnight; "24:00" is allowed only where `allow24` (interval ends). */
export function parseTimeOfDay(text: string, allow24: boolean): number | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (min > 59 || s > 59) return undefined;
  if (h === 24 && allow24 && min === 0 && s === 0) return DAY_MS;
  if (h > 23) return undefined;
  return ((h * 60 + min) * 60 + s) * 1000;
}

/**
 * Interval as [startMs, endMs) after the owning day's midnight. `end <= start` runs past midnight, so the
 * end moves to the next day; a day-owned interval is therefore at most 24 h long and spills into one
 * following day at most.
 */
export function intervalOffsets(interval: OpenInterval): [number, number] | undefined {
  const start = parseTimeOfDay(interval.start, false);
  const end = parseTimeOfDay(interval.end, true);
  if (start === undefined || end === undefined) return undefined;
  return [start, end <= start ? end + DAY_MS : end];
}
