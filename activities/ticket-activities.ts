import { isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../src/db/client';
import { ticketEvents, tickets } from '../src/db/schema';

export interface TicketRecord {
  ticketId: string;
  workflowId: string;
  customerId: string;
  resellerId?: string;
  policyId: string;
  policyVersion: number;
  priority: string;
  status: string;
  slaState: string;
  subject: string;
  description: string;
  requesterEmail: string;
  fields: Record<string, string>;
  channel: string;
  parentTicketId?: string;
  assignee?: string;
  deadlines: Record<string, string | null>;
  openedAt: number;
  firstRespondedAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  /** Workflow-side sequence: a delayed retry of an older snapshot never overwrites a newer one. */
  version: number;
  at: number;
}

export interface TicketEventRecord {
  ticketId: string;
  /** Unique per ticket: the same event recorded twice is one row. */
  eventKey: string;
  kind: string;
  at: number;
  data?: Record<string, unknown>;
}

const d = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

export function createTicketActivities(deps: { db: Db }) {
  return {
    async recordTicket(r: TicketRecord): Promise<void> {
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
      await deps.db
        .insert(tickets)
        .values(row)
        .onConflictDoUpdate({ target: tickets.id, set: update, setWhere: or(lt(tickets.version, r.version), isNull(tickets.version)) });
    },

    async recordTicketEvent(e: TicketEventRecord): Promise<void> {
      await deps.db
        .insert(ticketEvents)
        .values({ ticketId: e.ticketId, eventKey: e.eventKey, kind: e.kind, at: new Date(e.at), data: e.data ?? {} })
        .onConflictDoNothing();
    },

  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
