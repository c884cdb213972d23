import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, resellers, tickets } from '../db/schema';
import { isResellerContact } from '../domain/accounts/index';
import { customerReplyUpdate, ticketWorkflowId, type ReplyAuthor } from '../../workflows/ticket/contract';
import type { TicketOpener } from '../tickets/open-ticket';
import { openFollowUp, openFromMail } from './inbound-open';
import { attachmentProblem, storeAttachments, type IncomingFile } from './attachment-store';

/** A customer's mail as the inbound SMTP listener parsed it. */
export interface InboundMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  inReplyTo?: string;
  references?: string[];
  /** The headers a machine's mail is told apart by (RFC 3834 Auto-Submitted, Precedence, X-Autoreply). */
  autoSubmitted?: string;
  precedence?: string;
  autoReply?: boolean;
  /** The SMTP envelope sender; empty for a bounce (RFC 5321 null reverse-path). */
  envelopeFrom?: string;
  attachments?: IncomingFile[];
}

export enum InboundOutcome {
  Replied = 'replied',
  UnknownTicket = 'unknown_ticket',
  SenderNotAllowed = 'sender_not_allowed',
  TicketOver = 'ticket_over',
  Empty = 'empty',
  Opened = 'opened',
  UnknownSender = 'unknown_sender',
  Refused = 'refused',
  /** An auto-reply, a bounce or our own mail come back: accepted and logged, never answered (no loops). */
  Machine = 'machine',
  /** Its files exceed the per-file or per-message limit: refused whole, so nothing is half-kept. */
  TooLarge = 'too_large',
}

/**
 * Never a loop or a ticket from machines: auto-replies (Auto-Submitted other than "no", Precedence
 * bulk/junk/list/auto_reply, X-Autoreply), bounces (null envelope sender, mailer-daemon, postmaster)
 * and mail carrying one of our own Message-IDs.
 */
export function isMachineMail(mail: InboundMail, ownDomain: string): boolean {
  if (mail.autoSubmitted && mail.autoSubmitted.trim().toLowerCase() !== 'no') return true;
  if (mail.precedence && /^(bulk|junk|list|auto_reply)$/i.test(mail.precedence.trim())) return true;
  if (mail.autoReply) return true;
  if (mail.envelopeFrom !== undefined && mail.envelopeFrom.trim() === '') return true;
  const sender = addressOf(mail.from);
  if (/^(mailer-daemon|postmaster)@/i.test(sender)) return true;
  return mail.messageId.toLowerCase().endsWith(`@${ownDomain.toLowerCase()}>`);
}

const TICKET_ID = /^T-[A-Za-z0-9-]{1,60}$/;
const valid = (id: string | undefined) => (id && TICKET_ID.test(id) ? id : undefined);

/**
 * Which ticket a mail answers: the Reply-To sub-address we gave it (`support+T-…@`), else a Message-ID of
 * the thread it answers (`<ticket%3AT-…%3A…@…>`), else the `[T-…]` tag of its subject.
 */
export function ticketOfInbound(mail: Pick<InboundMail, 'to' | 'subject' | 'inReplyTo' | 'references'>): string | undefined {
  for (const to of mail.to) {
    const id = valid(/\+([^@+]+)@/.exec(to)?.[1]);
    if (id) return id;
  }
  for (const ref of [mail.inReplyTo, ...(mail.references ?? [])]) {
    const id = valid(/^<?ticket%3A([^%]+)%3A/i.exec(ref ?? '')?.[1]);
    if (id) return id;
  }
  return valid(/\[(T-[A-Za-z0-9-]+)\]/.exec(mail.subject)?.[1]);
}

/** What the customer wrote, without the quoted history mail clients append below it. */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const cut = lines.findIndex(
    (l, i) => /^>/.test(l) || (/^On .+wrote:\s*$/.test(l) && /^>/.test(lines[i + 1] ?? '>')) || /^-{2,} ?Original Message/i.test(l),
  );
  return (cut === -1 ? lines : lines.slice(0, cut)).join('\n').trim();
}

const addressOf = (from: string) => (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();

type Replier = { kind: 'customer' } | { kind: 'reseller'; author: ReplyAuthor } | { kind: 'stranger' };

/**
 * The requester, a contact of the customer, or an address on one of its mail domains, as when opening a
 * ticket; else one of the people of the reseller the ticket's customer buys through (002: support "through
 * and in collaboration with the End User's Reseller"), whose reply is recorded as the reseller's.
 */
async function replierOf(
  db: Db,
  ticket: { customerId: string; resellerId: string | null; requesterEmail: string },
  sender: string,
): Promise<Replier> {
  if (sender === ticket.requesterEmail.toLowerCase()) return { kind: 'customer' };
  const [c] = await db
    .select({ domains: customers.domains, contacts: customers.contacts })
    .from(customers)
    .where(eq(customers.id, ticket.customerId));
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  if (c && (c.domains.some((d) => d.toLowerCase() === domain) || c.contacts.some((k) => k.email.toLowerCase() === sender)))
    return { kind: 'customer' };
  if (ticket.resellerId === null) return { kind: 'stranger' };
  const [r] = await db.select({ contacts: resellers.contacts }).from(resellers).where(eq(resellers.id, ticket.resellerId));
  if (!isResellerContact(r, sender)) return { kind: 'stranger' };
  return { kind: 'reseller', author: { kind: 'reseller', resellerId: ticket.resellerId, email: sender } };
}

/**
 * A customer's mail becomes their reply on the ticket. The update id is the mail's Message-ID, so an SMTP
 * redelivery of the same mail is the same update (Temporal answers it again) and one message row.
 */
export async function deliverInbound(
  deps: { db: Db; client: Client; opener?: TicketOpener; ownDomain?: string },
  mail: InboundMail,
): Promise<InboundOutcome> {
  if (isMachineMail(mail, deps.ownDomain ?? 'supportflow.local')) return InboundOutcome.Machine;
  const files = mail.attachments ?? [];
  if (attachmentProblem(files)) return InboundOutcome.TooLarge;
  const id = ticketOfInbound(mail);
  if (!id) {
    if (!deps.opener) return InboundOutcome.UnknownTicket;
    const opened = await openFromMail(
      { ...deps.opener, db: deps.db },
      { messageId: mail.messageId, sender: addressOf(mail.from), subject: mail.subject, text: replyText(mail.text) || mail.text },
    );
    if (opened.kind === 'unknown_sender') return InboundOutcome.UnknownSender;
    if (opened.kind === 'refused') return InboundOutcome.Refused;
    // Stored before the 250: a crash in between makes the sender retry, and the retry stores nothing twice.
    await storeAttachments(deps.db, opened.ticketId, mail.messageId, files);
    return InboundOutcome.Opened;
  }
  const [ticket] = await deps.db
    .select({ customerId: tickets.customerId, resellerId: tickets.resellerId, requesterEmail: tickets.requesterEmail })
    .from(tickets)
    .where(eq(tickets.id, id));
  if (!ticket) return InboundOutcome.UnknownTicket;
  const replier = await replierOf(deps.db, ticket, addressOf(mail.from));
  if (replier.kind === 'stranger') return InboundOutcome.SenderNotAllowed;
  const message = replyText(mail.text) || (files.length ? `(${files.map((f) => f.name).join(', ')})` : '');
  if (!message) return InboundOutcome.Empty;
  await storeAttachments(deps.db, id, mail.messageId, files);
  let over = false;
  try {
    const view = await deps.client.workflow.getHandle(ticketWorkflowId(id)).executeUpdate(customerReplyUpdate, {
      args: [{ message, messageId: mail.messageId, ...(replier.kind === 'reseller' ? { author: replier.author } : {}) }],
      updateId: `inbound:${mail.messageId}`,
    });
    over = view.followUp === true;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError)) throw err;
    over = true;
  }
  if (!over) return InboundOutcome.Replied;
  // The rule of POST …/replies: a reply to a ticket that is over opens its follow-up.
  if (!deps.opener) return InboundOutcome.TicketOver;
  const followUp = await openFollowUp({ ...deps.opener, db: deps.db }, id, { messageId: mail.messageId, text: message });
  if (!followUp) return InboundOutcome.TicketOver;
  await storeAttachments(deps.db, followUp, mail.messageId, files);
  return InboundOutcome.Opened;
}
