import type { Db } from '../db/client';
import { ticketMessages } from '../db/schema';
import { messageIdOf, messageKeyOf, REQUEST_KEY, ticketMailKey } from './message-id';
import { AuthorKind, MessageChannel, MessageKind, Visibility } from './message-types';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type MessageRow = typeof ticketMessages.$inferInsert;

/** What recordTicketChange knows: the ticket row, the event, and the mails the workflow sends for it. */
export interface MessageSource {
  ticket: { ticketId: string; requesterEmail: string; channel: string; subject: string; description: string };
  event: { eventKey: string; kind: string; at: number; data?: Record<string, unknown> };
  mails?: Array<{ dedupeKey: string; to: string; subject: string; text: string; html?: string }>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The action's argument as the workflow recorded it (ticket-handlers.ts); absent on events recorded before it did. */
function argOf(data: Record<string, unknown>): Record<string, unknown> {
  const arg = data.arg;
  return arg !== null && typeof arg === 'object' ? (arg as Record<string, unknown>) : {};
}

function channelOf(ticketChannel: string): MessageChannel {
  if (ticketChannel === 'phone') return MessageChannel.Phone;
  if (ticketChannel === 'web' || ticketChannel === 'portal') return MessageChannel.Web;
  return MessageChannel.Email;
}

/** A reply the reseller wrote on its end user's ticket (002) is the reseller's, by the address it came from. */
function resellerAuthor(arg: Record<string, unknown>): Pick<Draft, 'authorKind' | 'authorEmail' | 'authorName'> | undefined {
  const author = arg.author as { kind?: unknown; resellerId?: unknown; email?: unknown } | undefined;
  if (author?.kind !== 'reseller') return undefined;
  return { authorKind: AuthorKind.Reseller, authorEmail: str(author.email) ?? null, authorName: str(author.resellerId) ?? null };
}

/** `messageId` only where the message came with its own (a customer's mail); otherwise derived from the key. */
type Draft = Omit<MessageRow, 'ticketId' | 'messageId' | 'at' | 'eventKey'> & { messageId?: string };

/** The message an event itself is, if it is one: a request, a reply either way, the escalating agent's note. */
function eventMessage(src: MessageSource): Draft | undefined {
  const { ticket, event } = src;
  const data = event.data ?? {};
  const arg = argOf(data);
  const actor = str(data.actor);
  const customer = { authorKind: AuthorKind.Customer, authorEmail: ticket.requesterEmail, visibility: Visibility.Public };
  const staff = (body: string, channel = MessageChannel.Email): Draft => ({
    messageKey: event.eventKey,
    kind: MessageKind.StaffReply,
    authorKind: AuthorKind.Staff,
    authorName: actor ?? null,
    visibility: Visibility.Public,
    channel,
    toAddress: ticket.requesterEmail,
    body,
  });
  switch (event.kind) {
    case 'opened':
      return {
        ...customer,
        messageKey: REQUEST_KEY,
        kind: MessageKind.Request,
        channel: channelOf(ticket.channel),
        subject: ticket.subject,
        body: ticket.description || ticket.subject,
        // A request that came by mail keeps the customer's Message-ID: its files and our replies hang on it.
        ...(str(event.data?.inboundMessageId) ? { messageId: str(event.data?.inboundMessageId) } : {}),
      };
    case 'customer_reply':
    case 'phone_message': {
      const text = str(arg.message);
      if (!text) return undefined;
      const phone = event.kind === 'phone_message';
      const mailed = str(arg.messageId);
      return {
        ...customer,
        ...resellerAuthor(arg),
        messageKey: `${event.eventKey}:in`,
        kind: MessageKind.CustomerReply,
        channel: phone ? MessageChannel.Phone : mailed ? MessageChannel.Email : MessageChannel.Web,
        ...(mailed ? { messageId: mailed } : {}),
        body: phone ? `${text}\n\nCall back on ${str(arg.callbackPhone) ?? 'the number on record'}.` : text,
      };
    }
    case 'respond':
    case 'request_info': {
      const text = str(arg.message);
      return text ? staff(text) : undefined;
    }
    case 'callback':
      return staff(str(arg.note) ?? 'We returned the customer’s call.', MessageChannel.Phone);
    case 'resolve': {
      // 003: out of scope, the mail itself (the topic and the paid alternatives) is the message.
      const text = str(arg.note);
      return text && arg.resolution !== 'out_of_scope' ? staff(text) : undefined;
    }
    case 'dev_update':
    case 'dev_resolved': {
      const text = str(data.note);
      return text ? { ...staff(text), authorName: str(data.engineer) ?? null } : undefined;
    }
    case 'escalate': {
      const text = str(arg.summary);
      if (!text) return undefined;
      // The escalating agent's note travels with the development ticket, never to the customer.
      return {
        ...staff(text, MessageChannel.Internal),
        messageKey: `${event.eventKey}:note`,
        kind: MessageKind.InternalNote,
        visibility: Visibility.Internal,
        toAddress: null,
      };
    }
    default:
      return undefined;
  }
}

/**
 * Every message an event writes: its own (if it is one) and one per mail sent for it. A mail that carries
 * the event's message (a staff reply) is that message, not another one: they share the key, hence the
 * Message-ID the outbox gives the mail.
 */
export function messagesOf(src: MessageSource, domain: string): MessageRow[] {
  const { ticket, event } = src;
  const rows = new Map<string, Draft>();
  const own = eventMessage(src);
  if (own) rows.set(own.messageKey, own);
  for (const mail of src.mails ?? []) {
    const key = messageKeyOf(ticket.ticketId, mail.dedupeKey);
    const carried = rows.get(key);
    if (carried) {
      rows.set(key, { ...carried, toAddress: mail.to, subject: mail.subject, html: mail.html ?? null });
      continue;
    }
    rows.set(key, {
      messageKey: key,
      kind: MessageKind.System,
      authorKind: AuthorKind.System,
      visibility: mail.to.toLowerCase() === ticket.requesterEmail.toLowerCase() ? Visibility.Public : Visibility.Internal,
      channel: MessageChannel.Email,
      toAddress: mail.to,
      subject: mail.subject,
      body: mail.text,
      html: mail.html ?? null,
    });
  }
  return [...rows.values()].map((d) => ({
    ...d,
    ticketId: ticket.ticketId,
    eventKey: event.eventKey,
    messageId: d.messageId ?? messageIdOf(ticketMailKey(ticket.ticketId, d.messageKey), domain),
    at: new Date(event.at),
  }));
}

/** Written in the event's transaction; (ticket, key) is unique, so a retried activity writes nothing new. */
export async function projectMessages(tx: Tx, src: MessageSource, domain: string): Promise<void> {
  const rows = messagesOf(src, domain);
  if (rows.length) await tx.insert(ticketMessages).values(rows).onConflictDoNothing();
}
