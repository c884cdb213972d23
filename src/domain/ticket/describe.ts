import type { ClockKind } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a formatter costs far more than using one; every ticket mail and preview formats several instants. */
function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * English, 24 h, zone spelled out: the same text whatever the host's locale or zone. Month names come
 * from our own table because ICU versions disagree on some (en-GB "Sept").
 */
export function formatInstant(at: number, zone: string): string {
  if (!Number.isFinite(at)) throw new RangeError(`cannot show ${at} in zone "${zone}"`);
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = partsFormatter(zone);
  } catch {
    throw new RangeError(`cannot show ${at} in zone "${zone}": unknown time zone`);
  }
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter.formatToParts(at)) p[part.type] = part.value;
  return `${p.weekday} ${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year} ${(p.hour ?? '').padStart(2, '0')}:${p.minute} ${zone}`;
}

/** "first response due Mon 23 Nov 2026 11:30 Europe/Berlin": timer summaries and previews. */
export function describeDue(label: string, at: number, zone: string): string {
  return `${label} due ${formatInstant(at, zone)}`;
}

export function clockLabel(kind: ClockKind): string {
  // "callback" alone reads like code in a mail subject; the promise is a phone call.
  if (kind === 'callback') return 'phone callback';
  return kind.replaceAll('_', ' ');
}
