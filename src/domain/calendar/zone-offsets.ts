import { IANAZone } from 'luxon';
import { DAY_MS, daysFromCivil } from './civil-date';

/**
 * UTC offsets of an IANA zone as a step function, built from Intl (via luxon) once per zone and UTC
 * year. Intl is available inside Temporal's workflow sandbox; the cache is a pure function of its key,
 * so sharing it between workflow runs cannot break determinism.
 *
 * Transitions are found by sampling the offset every 7 days and bisecting (to the second; tzdb
 * transitions are whole seconds) wherever two samples differ. Two transitions within one sampling
 * step would be mis-bisected; tzdb has none since the 1940s, far outside the range this product serves.
 */

interface ZoneYear {
  /** Ascending instants at which an offset starts applying; the first is the UTC year start. */
  readonly from: number[];
  /** Offset in ms (local = utc + offset) applying from the matching `from`. */
  readonly offset: number[];
}

export interface OffsetSegment {
  from: number;
  to: number;
  offset: number;
}

const SAMPLE_MS = 7 * DAY_MS;

const zoneCache = new Map<string, Map<number, ZoneYear>>();

function rawOffset(zone: IANAZone, t: number): number {
  return Math.round(zone.offset(t) * 60_000);
}

function buildZoneYear(name: string, year: number): ZoneYear {
  const zone = IANAZone.create(name);
  const start = daysFromCivil(year, 1, 1) * DAY_MS;
  const end = daysFromCivil(year + 1, 1, 1) * DAY_MS;
  const from = [start];
  const offset = [rawOffset(zone, start)];
  let prevT = start;
  let prevOff = offset[0] as number;
  for (let t = start + SAMPLE_MS; ; t = Math.min(t + SAMPLE_MS, end)) {
    const off = rawOffset(zone, t);
    if (off !== prevOff) {
      // Bisect on whole seconds: the first second whose offset differs from prevOff.
      let lo = prevT / 1000;
      let hi = t / 1000;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (rawOffset(zone, mid * 1000) === prevOff) lo = mid;
        else hi = mid;
      }
      if (hi * 1000 < end) {
        from.push(hi * 1000);
        offset.push(rawOffset(zone, hi * 1000));
      }
    }
    prevT = t;
    prevOff = off;
    if (t === end) break;
  }
  return { from, offset };
}

function zoneYear(name: string, year: number): ZoneYear {
  let years = zoneCache.get(name);
  if (!years) {
    years = new Map();
    zoneCache.set(name, years);
  }
  let zy = years.get(year);
  if (!zy) {
    zy = buildZoneYear(name, year);
    years.set(year, zy);
  }
  return zy;
}

function utcYear(t: number): number {
  return new Date(t).getUTCFullYear();
}

/** Constant-offset pieces covering [from, to), in order. */
export function offsetSegments(name: string, from: number, to: number): OffsetSegment[] {
  const out: OffsetSegment[] = [];
  for (let year = utcYear(from); year <= utcYear(to - 1); year++) {
    const zy = zoneYear(name, year);
    for (let i = 0; i < zy.from.length; i++) {
      const segFrom = Math.max(zy.from[i] as number, from);
      const next = zy.from[i + 1] ?? daysFromCivil(year + 1, 1, 1) * DAY_MS;
      const segTo = Math.min(next, to);
      if (segFrom >= segTo) continue;
      const off = zy.offset[i] as number;
      const last = out[out.length - 1];
      if (last && last.offset === off && last.to === segFrom) last.to = segTo;
      else out.push({ from: segFrom, to: segTo, offset: off });
    }
  }
  return out;
}

export function offsetAt(name: string, t: number): number {
  const zy = zoneYear(name, utcYear(t));
  let i = zy.from.length - 1;
  while (i > 0 && (zy.from[i] as number) > t) i--;
  return zy.offset[i] as number;
}

export function isKnownZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}
