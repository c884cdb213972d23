import { DateTime } from 'luxon';
import type { ClockKind } from './types';

/** English, 24 h, zone spelled out: the same text whatever the host's locale or zone. */
export function formatInstant(at: number, zone: string): string {
  const local = DateTime.fromMillis(at, { zone }).setLocale('en-GB');
  if (!local.isValid) throw new RangeError(`cannot show ${at} in zone "${zone}": ${local.invalidExplanation ?? 'invalid'}`);
  return `${local.toFormat('ccc d LLL yyyy HH:mm')} ${zone}`;
}

/** "first response due Mon 23 Nov 2026 11:30 Europe/Berlin": timer summaries and previews. */
export function describeDue(label: string, at: number, zone: string): string {
  return `${label} due ${formatInstant(at, zone)}`;
}

export function clockLabel(kind: ClockKind): string {
  return kind.replaceAll('_', ' ');
}
