import { eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../src/db/client';
import { ticketEvents, tickets } from '../src/db/schema';
import { DEFAULT_MAIL_DOMAIN } from '../src/conversation/message-id';
import { projectMessages, type MessageSource } from '../src/conversation/message-projection';
import { billTicketEvent } from './ticket-billing';
import type { TicketEventRecord } from '../src/domain/ticket/types';

type TicketRow = typeof tickets.$inferSelect;
type NullableKeys<T> = { [K in keyof T]: null extends T[K] ? K : never }[keyof T];
type Wire<V> = V extends Date ? number : V;

/**
 * The ticket row as the workflow sends it, derived from the table so the two cannot drift: instants
 * as epoch ms, nullable columns optional, `ticketId` for the key, `at` for `updatedAt`. `version` is the
 * workflow-side sequence: a delayed retry of an older snapshot never overwrites a newer one.
 */
export type TicketRecord = { ticketId: string; at: number } & {
  [K in Exclude<keyof TicketRow, NullableKeys<TicketRow> | 'id' | 'updatedAt'>]: Wire<TicketRow[K]>;
} & { [K in NullableKeys<TicketRow>]?: Wire<NonNullable<TicketRow[K]>> };

const d = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

async function upsertTicket(db: Db | Tx, r: TicketRecord): Promise<void> {
  const row = {
    id: r.ticketId,
    workflowId: r.workflowId,
    customerId: r.customerId,
    resellerId: r.resellerId ?? null,
    policyId: r.policyId,
    policyVersion: r.policyVersion,
    priority: r.priority,
    status: r.status,
    slaState: r.slaState,
    subject: r.subject,
    description: r.description,
    requesterEmail: r.requesterEmail,
    fields: r.fields,
    channel: r.channel,
    coveredBy: r.coveredBy ?? null,
    parentTicketId: r.parentTicketId ?? null,
    assignee: r.assignee ?? null,
    deadlines: r.deadlines,
    openedAt: new Date(r.openedAt),
    firstRespondedAt: d(r.firstRespondedAt),
    resolvedAt: d(r.resolvedAt),
    closedAt: d(r.closedAt),
    updatedAt: new Date(r.at),
    version: r.version,
  };
  const { id: _id, ...update } = row;
  await db
    .insert(tickets)
    .values(row)
    .onConflictDoUpdate({ target: tickets.id, set: update, setWhere: or(lt(tickets.version, r.version), isNull(tickets.version)) });
}

export async function insertEvent(db: Db | Tx, e: TicketEventRecord): Promise<void> {
  await db
    .insert(ticketEvents)
    .values({ ticketId: e.ticketId, eventKey: e.eventKey, kind: e.kind, at: new Date(e.at), data: e.data ?? {} })
    .onConflictDoNothing();
}

export interface TicketChange {
  ticket: TicketRecord;
  event: TicketEventRecord;
  mails?: MessageSource['mails'];
  /** Another ticket's events this change carries (the development ticket's report, issue 16). */
  alsoEvents?: TicketEventRecord[];
}

/**
 * The ticket row and the event that changed it, in one transaction: a reader never sees a breach row
 * for a ticket still marked on track. The messages the event is or mails (issue 15) are written with
 * it, so a thread never lacks a sent mail.
 */
export async function writeTicketChange(tx: Tx, change: TicketChange, domain: string): Promise<void> {
  // Sent together, not one after another: PostgreSQL runs a connection's statements in the order they
  // arrive, so the row still precedes its event, and the transaction costs one round trip instead of
  // four (the commit's writes were a fifth of the worker's CPU while tickets were opening).
  await Promise.all([
    upsertTicket(tx, change.ticket),
    insertEvent(tx, change.event),
    billTicketEvent(tx, change.event, change.ticket),
    projectMessages(tx, { ticket: change.ticket, event: change.event, ...(change.mails ? { mails: change.mails } : {}) }, domain),
    ...(change.alsoEvents ?? []).map((e) => insertEvent(tx, e)),
  ]);
}

export function createTicketActivities(deps: { db: Db; mailDomain?: string }) {
  const domain = deps.mailDomain ?? DEFAULT_MAIL_DOMAIN;
  return {
    recordTicket: (r: TicketRecord): Promise<void> => upsertTicket(deps.db, r),

    /** A refund is an event that charges: its negative line is written with it. */
    async recordTicketEvent(e: TicketEventRecord): Promise<void> {
      if (e.kind !== 'refund') return insertEvent(deps.db, e);
      await deps.db.transaction(async (tx) => {
        await insertEvent(tx, e);
        const [t] = await tx
          .select({ customerId: tickets.customerId, policyId: tickets.policyId })
          .from(tickets)
          .where(eq(tickets.id, e.ticketId));
        if (t) await billTicketEvent(tx, e, t);
      });
    },

    /** The two-step path (row, then a sendEmail per mail) of tickets opened before issue 16; new ones commit. */
    async recordTicketChange(change: TicketChange): Promise<void> {
      await deps.db.transaction((tx) => writeTicketChange(tx, change, domain));
    },
  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
