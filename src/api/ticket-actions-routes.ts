import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { tickets } from '../db/schema';
import * as c from '../../workflows/ticket/contract';
import { derivedId } from './idempotency';
import { notFound, Problem } from './problem';
import type { Api, RouteContext } from './route';
import { idParam } from './schemas';
import { devActions, devTicketViewSchema, openedTicketSchema, replyBody, ticketActions, ticketViewSchema } from './ticket-schemas';
import { ticketOwner } from './ticket-scope';
import { openScopedTicket, type TicketRoutesDeps } from './tickets-routes';

const STAFF = ['staff', 'admin'] as const;

/** The Idempotency-Key becomes the Temporal update id, so Temporal itself deduplicates a retried action. */
function updateId(ctx: RouteContext<unknown, unknown, unknown>, action: string): { updateId?: string } {
  return ctx.idempotency ? { updateId: `${action}:${ctx.idempotency.keyId}:${ctx.idempotency.key}` } : {};
}

export function ticketActionRoutes(api: Api, deps: TicketRoutesDeps): void {
  /** A finished workflow is gone from Temporal's view, but the ticket still exists: a conflict, not a 404. */
  const runUpdate = async <T>(id: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const [row] = await deps.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, id));
      if (!row) throw notFound(`Ticket ${id}`);
      throw new Problem(409, 'ticket_finished', `Ticket ${id} is ${row.status}; no further actions are possible.`);
    }
  };
  const handle = (id: string): WorkflowHandle => deps.client.workflow.getHandle(c.ticketWorkflowId(id));
  const owner = ({ id }: { id: string }) => ticketOwner(deps, id);
  const conflict = { 409: { description: 'The workflow refused the action in the ticket’s current state (code = the reason).' } };

  for (const [path, { def, body, summary }] of Object.entries(ticketActions)) {
    api.route({
      method: 'post',
      path: `/v1/tickets/:id/${path}`,
      tag: 'Ticket actions',
      summary,
      roles: STAFF,
      params: idParam,
      body,
      owner,
      responses: { 200: { description: 'The ticket after the action.', schema: ticketViewSchema }, ...conflict },
      async handler(ctx) {
        const { id } = ctx.params;
        ctx.annotate({ ticketId: id, workflowId: c.ticketWorkflowId(id) });
        const view = await runUpdate(id, () => handle(id).executeUpdate(def as never, { args: [ctx.body] as never, ...updateId(ctx, path) }));
        return { status: 200, body: view };
      },
    });
  }

  api.route({
    method: 'post',
    path: '/v1/tickets/:id/replies',
    tag: 'Ticket actions',
    summary: 'Reply as the customer',
    description: 'On a closed ticket the reply opens a follow-up ticket linked to it (201).',
    roles: ['customer', 'reseller', 'staff', 'admin'],
    params: idParam,
    body: replyBody,
    owner,
    responses: { 200: { description: 'The ticket after the reply.', schema: ticketViewSchema }, 201: { description: 'A follow-up ticket was opened.', schema: openedTicketSchema }, ...conflict },
    async handler(ctx) {
      const { id } = ctx.params;
      ctx.annotate({ ticketId: id, workflowId: c.ticketWorkflowId(id) });
      const view = await runUpdate(id, () => handle(id).executeUpdate(c.customerReplyUpdate, { args: [{ message: ctx.body.message }], ...updateId(ctx, 'reply') })).catch((err: unknown) => {
        if (err instanceof Problem && err.code === 'ticket_finished') return undefined;
        throw err;
      });
      // A closed ticket still inside its reopen window answers the reply with followUp: the reply belongs to a new ticket.
      if (view && !(view as { followUp?: boolean }).followUp) return { status: 200, body: view };
      const [row] = await deps.db.select().from(tickets).where(eq(tickets.id, id));
      if (!row) throw notFound(`Ticket ${id}`);
      const ticketId = ctx.idempotency ? derivedId('T-', ctx.idempotency, `follow-up:${id}`) : undefined;
      const followUp = await openScopedTicket(deps, {
        customerId: row.customerId,
        ...(row.resellerId ? { resellerId: row.resellerId } : {}),
        requesterEmail: row.requesterEmail,
        subject: `Follow-up to ${id}: ${row.subject}`.slice(0, 300),
        description: ctx.body.message,
        policyId: row.policyId,
        channel: row.channel as c.Channel,
        fields: row.fields,
        parentTicketId: id,
        ...(ticketId ? { ticketId } : {}),
      });
      ctx.annotate({ followUpTicketId: followUp.id });
      return { status: 201, body: { ...followUp, followUpOf: id }, headers: { Location: `/v1/tickets/${followUp.id}` } };
    },
  });

  for (const [path, { def, body, summary }] of Object.entries(devActions)) {
    api.route({
      method: 'post',
      path: `/v1/tickets/:id/development/${path}`,
      tag: 'Ticket actions',
      summary,
      roles: STAFF,
      params: idParam,
      body,
      owner,
      responses: { 200: { description: 'The development ticket after the update.', schema: devTicketViewSchema }, 409: { description: 'No open development ticket, or the update was refused.' } },
      async handler(ctx) {
        const { id } = ctx.params;
        ctx.annotate({ ticketId: id, workflowId: c.devTicketWorkflowId(id) });
        try {
          const view = await deps.client.workflow.getHandle(c.devTicketWorkflowId(id)).executeUpdate(def as never, { args: [ctx.body] as never, ...updateId(ctx, `development-${path}`) });
          return { status: 200, body: view };
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw new Problem(409, 'no_dev_ticket', `Ticket ${id} has no open development ticket.`);
          throw err;
        }
      },
    });
  }
}
