import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import * as c from '../../workflows/ticket/contract';
import { openedTicketOf, openTicket, type TicketOpener } from '../tickets/open-ticket';
import { triagedPriority } from '../tickets/triage';
import { derivedId } from './idempotency';
import { notFound, Problem } from './problem';
import type { Api } from './route';
import { workflowStatusOf } from './workflow-status';
import { idParam } from './schemas';
import { listTicketsQuery, openedTicketSchema, openTicketBody, ticketPageSchema, ticketSchema } from './ticket-schemas';
import { listTickets } from './ticket-list';
import { presentTicketRow, presentTicketView, ticketOwner } from './ticket-scope';

export interface TicketRoutesDeps extends TicketOpener {
  client: Client;
  db: Db;
}

const ALL = ['customer', 'reseller', 'staff', 'admin'] as const;
const mismatch = (detail: string) => new Problem(403, 'tenant_mismatch', detail);
const customerRequired = () =>
  new Problem(422, 'validation_failed', 'The request body is invalid.', [{ path: 'body.customerId', message: 'required for this key' }]);

/** The tenants a new ticket belongs to, from the key rather than the body wherever the key decides. */
function ticketTenants(p: Principal, body: z.output<typeof openTicketBody>): { customerId: string; resellerId?: string } {
  if (p.role === 'customer') {
    if (body.customerId !== undefined && body.customerId !== p.tenantId)
      throw mismatch('A customer key opens tickets for its own organisation only.');
    if (body.resellerId !== undefined) throw mismatch('A customer key cannot open a ticket on behalf of a reseller.');
    return { customerId: p.tenantId ?? '' };
  }
  if (body.customerId === undefined) throw customerRequired();
  if (p.role === 'reseller') {
    if (body.resellerId !== undefined && body.resellerId !== p.tenantId) throw mismatch('A reseller key opens tickets as itself only.');
    return { customerId: body.customerId, resellerId: p.tenantId ?? '' };
  }
  return { customerId: body.customerId, ...(body.resellerId ? { resellerId: body.resellerId } : {}) };
}

/**
 * Opens a ticket whose id may be fixed by an Idempotency-Key. A second start of that id is a retry of
 * an attempt whose reply was lost (PostgreSQL went down before it was stored): it gets that ticket.
 */
/** The ticket a workflow id names (`ticket-T-…`). */
const ticketIdOf = (workflowId: string) => workflowId.replace(/^ticket-/, '');

export async function openScopedTicket(deps: TicketOpener, req: Parameters<typeof openTicket>[1]) {
  try {
    return await openTicket(deps, req);
  } catch (err) {
    const ticketId = err instanceof WorkflowExecutionAlreadyStartedError ? ticketIdOf(err.workflowId) : undefined;
    if (ticketId && (req.ticketId || req.paymentReference)) {
      const earlier = await openedTicketOf(deps.client, ticketId);
      if (earlier && earlier.customerId !== req.customerId) {
        throw new Problem(409, 'payment_reference_used', `Payment ${req.paymentReference} already paid for another customer's ticket.`);
      }
      if (earlier) return earlier;
      throw new Problem(
        409,
        'ticket_exists',
        `Ticket ${ticketId} was already opened by an earlier attempt with this Idempotency-Key or payment.`,
        undefined,
        { Location: `/v1/tickets/${ticketId}` },
      );
    }
    throw err;
  }
}

export function ticketRoutes(api: Api, deps: TicketRoutesDeps): void {
  api.route({
    method: 'post',
    path: '/v1/tickets',
    tag: 'Tickets',
    summary: 'Open a ticket',
    description:
      'With an Idempotency-Key the ticket id is derived from (API key, Idempotency-Key), so a retry never opens a second ticket.',
    roles: ALL,
    body: openTicketBody,
    responses: {
      201: { description: 'Opened; deadlines computed from the pinned policy.', schema: openedTicketSchema },
      404: { description: 'A reseller key naming a customer that is not its own: as invisible as another tenant’s ticket.' },
    },
    async handler({ principal, body, idempotency, annotate }) {
      const { customerId: _c, resellerId: _r, priority, fields, ...rest } = body;
      const tenants = ticketTenants(principal, body);
      // Another reseller's end customer is as invisible as another tenant's ticket.
      if (principal.role === 'reseller' && (await deps.accounts.customer(tenants.customerId))?.resellerId !== principal.tenantId) {
        throw notFound(`Customer ${tenants.customerId}`);
      }
      const ticketId = idempotency ? derivedId('T-', idempotency, 'open') : undefined;
      if (ticketId) annotate({ ticketId, workflowId: c.ticketWorkflowId(ticketId) });
      const triaged = triagedPriority(principal.role, priority, fields);
      const created = await openScopedTicket(deps, { ...rest, ...triaged, ...tenants, ...(ticketId ? { ticketId } : {}) });
      annotate({ ticketId: created.id, workflowId: c.ticketWorkflowId(created.id) });
      return { status: 201, body: created, headers: { Location: `/v1/tickets/${created.id}` } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/tickets',
    tag: 'Tickets',
    summary: 'List tickets',
    description: 'Newest first; customers see their own tickets, resellers the tickets they opened. Follow nextCursor for the next page.',
    roles: ALL,
    query: listTicketsQuery,
    responses: { 200: { description: 'One page of tickets.', schema: ticketPageSchema } },
    async handler({ principal, query }) {
      return { status: 200, body: await listTickets(deps.db, principal, query) };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/tickets/:id',
    tag: 'Tickets',
    summary: 'Read a ticket',
    roles: ALL,
    params: idParam,
    owner: ({ id }, principal) => ticketOwner(deps, id, principal),
    responses: { 200: { description: 'The ticket.', schema: ticketSchema } },
    async handler({ params: { id }, annotate }) {
      annotate({ ticketId: id });
      const [row] = await deps.db.select().from(tickets).where(eq(tickets.id, id));
      if (row) {
        // A ticket that should be alive but whose workflow ended (terminated, failed) says so; staff restart it.
        if (row.status === 'closed' || row.status === 'cancelled') return { status: 200, body: presentTicketRow(row) };
        const status = await workflowStatusOf(deps.client.workflow.getHandle(c.ticketWorkflowId(id)));
        return { status: 200, body: { ...presentTicketRow(row), ...status } };
      }
      try {
        return { status: 200, body: presentTicketView(await deps.client.workflow.getHandle(c.ticketWorkflowId(id)).query(c.ticketQuery)) };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw notFound(`Ticket ${id}`);
        throw err;
      }
    },
  });
}
