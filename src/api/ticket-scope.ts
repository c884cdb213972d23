import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Owner, Principal } from '../auth/principal';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { CustomerIdKey } from '../../workflows/search-attributes';
import { ticketWorkflowId, type TicketView } from '../../workflows/ticket/contract';

type TicketRow = typeof tickets.$inferSelect;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Who owns a ticket. The row is written moments after the workflow starts; until then the workflow's
 * memo (customer, reseller) and search attributes answer, so a fresh ticket is never a false 404.
 * A tenant's lookup is scoped in the query itself, so another tenant's ticket and a ticket that does
 * not exist take the same path (row, then workflow) and answer 404 in the same time.
 */
export async function ticketOwner(deps: { db: Db; client: Client }, id: string, principal?: Principal): Promise<Owner | undefined> {
  const tenant =
    principal?.role === 'customer'
      ? eq(tickets.customerId, principal.tenantId ?? '')
      : principal?.role === 'reseller'
        ? eq(tickets.resellerId, principal.tenantId ?? '')
        : undefined;
  const [row] = await deps.db
    .select({ customerId: tickets.customerId, resellerId: tickets.resellerId })
    .from(tickets)
    .where(tenant ? and(eq(tickets.id, id), tenant) : eq(tickets.id, id));
  if (row) return row;
  try {
    const d = await deps.client.workflow.getHandle(ticketWorkflowId(id)).describe();
    const memo = (d.memo ?? {}) as { customerId?: unknown; resellerId?: unknown };
    const customerId = typeof memo.customerId === 'string' ? memo.customerId : d.typedSearchAttributes.get(CustomerIdKey);
    if (!customerId) return undefined;
    return { customerId, resellerId: typeof memo.resellerId === 'string' ? memo.resellerId : null };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export function presentTicketRow(row: TicketRow) {
  const { workflowId: _w, version: _v, openedAt, firstRespondedAt, resolvedAt, closedAt, updatedAt, ...rest } = row;
  return {
    ...rest,
    openedAt: openedAt.toISOString(),
    firstRespondedAt: iso(firstRespondedAt),
    resolvedAt: iso(resolvedAt),
    closedAt: iso(closedAt),
    updatedAt: updatedAt.toISOString(),
  };
}

/** Before its row exists a ticket is shown from the workflow's view, in the row's shape. */
export function presentTicketView(v: TicketView) {
  return {
    id: v.ticketId,
    customerId: v.customerId,
    policyId: v.policyId,
    policyVersion: v.policyVersion,
    priority: v.priority,
    status: v.status,
    slaState: v.slaState,
    assignee: v.assignee ?? null,
    deadlines: v.deadlines,
    openedAt: v.openedAt,
    firstRespondedAt: v.firstRespondedAt ?? null,
    resolvedAt: v.resolvedAt ?? null,
    closedAt: v.closedAt ?? null,
  };
}
