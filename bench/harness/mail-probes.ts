import type { ReceivedMail } from '../../src/mail/mail-sink';

/**
 * What counts as a breach email. The workflow does not send one yet (only the acknowledgment); when it
 * does, its subject names the breach and the ticket. This is the one place to change if that differs.
 */
export function isBreachEmail(m: ReceivedMail): boolean {
  return /breach/i.test(m.subject);
}

export function isAckEmail(m: ReceivedMail): boolean {
  return /:ack$/.test(dedupeKey(m));
}

/** The outbox key the mail activity stamps on every message; one key = one email that is due. */
export function dedupeKey(m: ReceivedMail): string {
  return m.headers['x-supportflow-key'] ?? '';
}

/** Every ticket email carries `[T-…]` first in the subject and the ticket in its outbox key. */
export function ticketIdOf(m: ReceivedMail): string | undefined {
  return /^\[([A-Za-z0-9-]+)\]/.exec(m.subject)?.[1] ?? /^ticket:([^:]+):/.exec(dedupeKey(m))?.[1];
}
