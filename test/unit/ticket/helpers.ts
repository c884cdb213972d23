import { DateTime } from 'luxon';
import type { TicketState } from '../../../src/domain/ticket/actions';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';

/** Epoch ms of a local wall-clock time in a named zone: at('2026-11-20T12:30', 'Europe/Rome'). */
export function at(local: string, zone: string): number {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad local time ${local} in ${zone}`);
  return dt.toMillis();
}

/** ISO string with the zone's offset, for readable assertions: iso(t, 'Europe/Rome') → 2026-11-20T17:30:00.000+01:00. */
export function local(t: number, zone: string): string {
  return DateTime.fromMillis(t, { zone }).toISO() ?? 'invalid';
}

export const H = 3_600_000;
export const MIN = 60_000;

export function ticket(overrides: Partial<TicketState> = {}): TicketState {
  return {
    status: 'new',
    policy: getPolicyPreset('smartwork-emea'),
    priority: 'normal',
    resolutionLevel: 'first',
    devTicketOpen: false,
    ...overrides,
  };
}
