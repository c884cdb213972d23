/**
 * Deterministic mail identities of a ticket's thread. A message's Message-ID is derived from its ticket,
 * its key and the configured mail domain, so the row written with the event and the mail that carries it
 * (however often its send is retried) name the same message, and every mail can point at the thread's root.
 */
export const DEFAULT_MAIL_DOMAIN = 'supportflow.local';

/** The outbox and message key of a ticket's message: `ticket:<id>:<key>`. */
export function ticketMailKey(ticketId: string, key: string): string {
  return `ticket:${ticketId}:${key}`;
}

/** The Message-ID of a mail key; the outbox has always derived it this way (activities/mail-activities.ts). */
export function messageIdOf(mailKey: string, domain: string): string {
  return `<${encodeURIComponent(mailKey)}@${domain}>`;
}

/** The key of the ticket's first message, the customer's request, written with the `opened` event. */
export const REQUEST_KEY = 'opened';

/** What every mail of the ticket answers (`In-Reply-To`, `References`): the request that opened it. */
export function threadRootId(ticketId: string, domain: string): string {
  return messageIdOf(ticketMailKey(ticketId, REQUEST_KEY), domain);
}

/** The ticket a mail key belongs to, or undefined for mail that is no ticket's (subscriptions). */
export function ticketOfMailKey(mailKey: string): string | undefined {
  return /^ticket:([^:]+):/.exec(mailKey)?.[1];
}

/** The message key within its ticket: the mail key without `ticket:<id>:`. */
export function messageKeyOf(ticketId: string, mailKey: string): string {
  const prefix = `ticket:${ticketId}:`;
  return mailKey.startsWith(prefix) ? mailKey.slice(prefix.length) : mailKey;
}

/**
 * The address a reply comes back in on: the sender's mailbox with the ticket as its sub-address
 * (`support+T-1@…`), so an inbound mail names its ticket even when the client dropped the subject tag.
 */
export function replyAddressOf(from: string, ticketId: string): string | undefined {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
  const at = address.lastIndexOf('@');
  if (at <= 0) return undefined;
  return `${address.slice(0, at)}+${ticketId}${address.slice(at)}`;
}
