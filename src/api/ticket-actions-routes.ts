import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { z } from 'zod';
import { tickets } from '../db/schema';
import { actOnClosedTicket } from '../tickets/ended-ticket';
import { restartTicket } from '../tickets/restart-ticket';
import { errorCodes } from './error-codes';
import * as c from '../../workflows/ticket/contract';
import { derivedId } from './idempotency';
import { notFound, Problem } from './problem';
import type { Api, RouteContext } from './route';
import { idParam, text } from './schemas';
import {
  devActionBodies,
  devActionSummaries,
  devTicketViewSchema,
  openedTicketSchema,
  ticketActionBodies,
  ticketActionSummaries,
  ticketViewSchema,
} from './ticket-schemas';
import { ticketOwner } from './ticket-scope';
import { openScopedTicket, type TicketRoutesDeps } from './tickets-routes';

const STAFF = ['staff', 'admin'] as const;

/** The Idempotency-Key becomes the Temporal update id, so Temporal itself deduplicates a retried action. */
function updateId(ctx: RouteContext<unknown, unknown, unknown>, action: string): { updateId?: string } {
  return ctx.idempotency ? { updateId: `${action}:${ctx.idempotency.keyId}:${ctx.idempotency.key}` } : {};
}

export function ticketActionRoutes(api: Api, deps: TicketRoutesDeps): void {
  /**
   * A closed ticket's run has ended: the action is decided on the state it closed with (a reopen starts a
   * new run). Any other ended run is gone from Temporal's view, but the ticket still exists: a conflict, not a 404.
   */
  const runUpdate = async <K extends c.TicketActionName>(
    id: string,
    name: K,
    arg: c.TicketActionArgs[K],
    ids: { updateId?: string },
  ): Promise<c.TicketView> => {
    try {
      return await handle(id).executeUpdate(c.ticketActions[name].update, { args: [arg], ...ids });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const ended = await actOnClosedTicket(deps, id, name, arg, ids.updateId).catch((e: unknown) => {
        if (e instanceof WorkflowNotFoundError) return { kind: 'not_closed' } as const;
        throw e;
      });
      if (ended.kind === 'acted') return ended.view;
      if (ended.kind === 'refused') throw new Problem(errorCodes[ended.code].status, ended.code, ended.reason);
      const [row] = await deps.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, id));
      if (!row) throw notFound(`Ticket ${id}`);
      throw new Problem(409, 'ticket_finished', `Ticket ${id} is ${row.status}; no further actions are possible.`);
    }
  };
  const handle = (id: string): WorkflowHandle => deps.client.workflow.getHandle(c.ticketWorkflowId(id));
  const owner = ({ id }: { id: string }, principal: Principal) => ticketOwner(deps, id, principal);
  const conflict = { 409: { description: 'The workflow refused the action in the ticket’s current state (code = the reason).' } };

  /** One route per staff action; the update and its body come typed from one declaration (contract.ts). */
  const actionRoute = <K extends c.StaffActionName>(name: K) => {
    api.route({
      method: 'post',
      path: `/v1/tickets/:id/${name}`,
      tag: 'Ticket actions',
      summary: ticketActionSummaries[name],
      roles: STAFF,
      params: idParam,
      body: ticketActionBodies[name],
      owner,
      responses: { 200: { description: 'The ticket after the action.', schema: ticketViewSchema }, ...conflict },
      async handler(ctx) {
        const { id } = ctx.params;
        ctx.annotate({ ticketId: id, workflowId: c.ticketWorkflowId(id) });
        const view = await runUpdate(id, name, ctx.body as c.TicketActionArgs[K], updateId(ctx, name));
        return { status: 200, body: view };
      },
    });
  };
  for (const name of c.STAFF_ACTION_NAMES) actionRoute(name);

  api.route({
    method: 'post',
    path: '/v1/tickets/:id/phone-message',
    tag: 'Ticket actions',
    summary: 'Leave a phone message for a call back',
    description:
      'The message a premium customer leaves on the support line, with the number to call back. Under a policy that promises a call back (`phoneCallback`) it starts the callback clock; otherwise it counts as a reply. A closed ticket refuses it: open a new phone ticket instead.',
    roles: ['customer', 'reseller', 'staff', 'admin'],
    params: idParam,
    body: ticketActionBodies['phone-message'],
    owner,
    responses: { 200: { description: 'The ticket after the message.', schema: ticketViewSchema }, ...conflict },
    async handler(ctx) {
      const { id } = ctx.params;
      ctx.annotate({ ticketId: id, workflowId: c.ticketWorkflowId(id) });
      const view = await runUpdate(id, 'phone-message', ctx.body, updateId(ctx, 'phone-message'));
      return { status: 200, body: view };
    },
  });

  api.route({
    method: 'post',
    path: '/v1/tickets/:id/replies',
    tag: 'Ticket actions',
    summary: 'Reply as the customer',
    description: 'On a closed ticket the reply opens a follow-up ticket linked to it (201).',
    roles: ['customer', 'reseller', 'staff', 'admin'],
    params: idParam,
    body: ticketActionBodies.reply,
    owner,
    responses: {
      200: { description: 'The ticket after the reply.', schema: ticketViewSchema },
      201: { description: 'A follow-up ticket was opened.', schema: openedTicketSchema },
      ...conflict,
    },
    async handler(ctx) {
      const { id } = ctx.params;
      ctx.annotate({ ticketId: id, workflowId: c.ticketWorkflowId(id) });
      // 002: a reseller answering its end user's ticket is recorded as the reseller, not as the customer.
      const { role, tenantId } = ctx.principal;
      const author = role === 'reseller' && tenantId ? { author: { kind: 'reseller' as const, resellerId: tenantId } } : {};
      const reply = { message: ctx.body.message, ...author };
      const view = await runUpdate(id, 'reply', reply, updateId(ctx, 'reply')).catch((err: unknown) => {
        if (err instanceof Problem && err.code === 'ticket_finished') return undefined;
        throw err;
      });
      // A closed ticket still inside its reopen window answers the reply with followUp: the reply belongs to a new ticket.
      if (view && !view.followUp) return { status: 200, body: view };
      const [row] = await deps.db.select().from(tickets).where(eq(tickets.id, id));
      if (!row) throw notFound(`Ticket ${id}`);
      const ticketId = ctx.idempotency ? derivedId('T-', ctx.idempotency, `follow-up:${id}`) : undefined;
      const followUp = await openScopedTicket(deps, {
        customerId: row.customerId,
        ...(row.resellerId ? { resellerId: row.resellerId } : {}),
        requesterEmail: row.requesterEmail,
        subject: `Follow-up to ${id}: ${row.subject}`.slice(0, 300),
        description: ctx.body.message,
        // The contract decides the follow-up's policy as it would a new ticket's: it may have changed since.
        channel: row.channel as c.Channel,
        fields: row.fields,
        parentTicketId: id,
        ...(ticketId ? { ticketId } : {}),
      });
      ctx.annotate({ followUpTicketId: followUp.id });
      return { status: 201, body: { ...followUp, followUpOf: id }, headers: { Location: `/v1/tickets/${followUp.id}` } };
    },
  });

  api.route({
    method: 'post',
    path: '/v1/tickets/:id/restart',
    tag: 'Ticket actions',
    summary: 'Restart an ended ticket workflow',
    description:
      'For a ticket whose workflow ended without closing it (an operator cancelled or terminated it, or it failed): a new run resumes from the last run’s state; deadlines that passed meanwhile fire at once. The ticket’s `workflowStatus` shows when this is needed.',
    roles: STAFF,
    params: idParam,
    body: z.strictObject({ agent: text(200) }),
    owner,
    responses: {
      200: { description: 'The ticket in its new run.', schema: ticketViewSchema },
      409: { description: 'The workflow is running (ticket_running) or the ticket is closed (ticket_finished).' },
    },
    async handler(ctx) {
      const { id } = ctx.params;
      ctx.annotate({ ticketId: id, workflowId: c.ticketWorkflowId(id), agent: ctx.body.agent });
      return { status: 200, body: await restartTicket(deps, id) };
    },
  });

  const devActionRoute = <K extends c.DevTicketActionName>(name: K) => {
    const update = c.devTicketActions[name];
    api.route({
      method: 'post',
      path: `/v1/tickets/:id/development/${name}`,
      tag: 'Ticket actions',
      summary: devActionSummaries[name],
      roles: STAFF,
      params: idParam,
      body: devActionBodies[name],
      owner,
      responses: {
        200: { description: 'The development ticket after the update.', schema: devTicketViewSchema },
        409: { description: 'No open development ticket, or the update was refused.' },
      },
      async handler(ctx) {
        const { id } = ctx.params;
        ctx.annotate({ ticketId: id, workflowId: c.devTicketWorkflowId(id) });
        try {
          const dev = deps.client.workflow.getHandle(c.devTicketWorkflowId(id));
          const view = await dev.executeUpdate(update, { args: [ctx.body], ...updateId(ctx, `development-${name}`) });
          return { status: 200, body: view };
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw new Problem(409, 'no_dev_ticket', `Ticket ${id} has no open development ticket.`);
          throw err;
        }
      },
    });
  };
  for (const name of c.DEV_TICKET_ACTION_NAMES) devActionRoute(name);
}
