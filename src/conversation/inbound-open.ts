import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, tickets } from '../db/schema';
import type { Channel } from '../../workflows/ticket/contract';
import { DomainError } from '../domain/errors';
import { openTicket, type TicketOpener } from '../tickets/open-ticket';

/** Where a new mail (one naming no ticket) lands: a ticket opened for the customer its sender belongs to. */
export type NewMailOutcome = { kind: 'opened'; ticketId: string } | { kind: 'unknown_sender' } | { kind: 'refused'; reason: string };

/** A contact's own address wins over a domain match, and one customer over several. */
async function customerOfSender(db: Db, sender: string): Promise<string | undefined> {
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  const rows = await db
    .select({
      id: customers.id,
      contact: sql<boolean>`exists (select 1 from jsonb_array_elements(${customers.contacts}) c where lower(c->>'email') = ${sender})`,
    })
    .from(customers)
    .where(
      sql`exists (select 1 from jsonb_array_elements(${customers.contacts}) c where lower(c->>'email') = ${sender})
        or exists (select 1 from jsonb_array_elements_text(${customers.domains}) d where lower(d) = ${domain})`,
    )
    .limit(2);
  const direct = rows.filter((r) => r.contact);
  if (direct.length === 1) return direct[0]?.id;
  return rows.length === 1 ? rows[0]?.id : undefined;
}

/** One mail, one ticket: the id is derived from its Message-ID, so an MTA's redelivery finds the same ticket. */
export function mailTicketId(messageId: string): string {
  return `T-${createHash('sha256').update(`mail\n${messageId}`).digest('hex').slice(0, 12).toUpperCase()}`;
}

/**
 * 003 is an email support service and 001's support is "written communication": a new mail to the
 * support address opens a ticket on the policy the sender's customer bought, exactly as the API would.
 */
export async function openFromMail(
  deps: TicketOpener & { db: Db },
  mail: { messageId: string; sender: string; subject: string; text: string },
): Promise<NewMailOutcome> {
  const customerId = await customerOfSender(deps.db, mail.sender);
  if (!customerId) return { kind: 'unknown_sender' };
  const ticketId = mailTicketId(mail.messageId);
  try {
    await openTicket(deps, {
      customerId,
      requesterEmail: mail.sender,
      subject: mail.subject.trim().slice(0, 300) || '(no subject)',
      description: mail.text.slice(0, 20_000),
      fields: {},
      channel: 'email',
      ticketId,
      inboundMessageId: mail.messageId,
    });
    return { kind: 'opened', ticketId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { kind: 'opened', ticketId };
    if (err instanceof DomainError) return { kind: 'refused', reason: err.message };
    throw err;
  }
}

/** A mail answering a ticket that is over opens its follow-up, on the policy the contract gives now. */
export async function openFollowUp(
  deps: TicketOpener & { db: Db },
  parentId: string,
  mail: { messageId: string; text: string },
): Promise<string | undefined> {
  const [row] = await deps.db.select().from(tickets).where(eq(tickets.id, parentId));
  if (!row) return undefined;
  const ticketId = mailTicketId(mail.messageId);
  try {
    await openTicket(deps, {
      customerId: row.customerId,
      ...(row.resellerId ? { resellerId: row.resellerId } : {}),
      requesterEmail: row.requesterEmail,
      subject: `Follow-up to ${parentId}: ${row.subject}`.slice(0, 300),
      description: mail.text.slice(0, 20_000),
      channel: row.channel as Channel,
      fields: row.fields,
      parentTicketId: parentId,
      ticketId,
      inboundMessageId: mail.messageId,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return ticketId;
    if (err instanceof DomainError) return undefined;
    throw err;
  }
  return ticketId;
}
