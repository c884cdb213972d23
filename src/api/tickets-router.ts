import { Router } from 'express';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { PRIORITIES } from '../domain/ticket/types';
import * as c from '../../workflows/ticket/contract';
import { openTicket, type TicketOpener } from '../tickets/open-ticket';
import { fromZod, Problem } from './problem';

const text = (max: number) => z.string().trim().min(1).max(max);
const zone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

const openTicketBody = z.strictObject({
  customerId: text(100),
  resellerId: text(100).optional(),
  requesterEmail: z.string().email(),
  requesterZone: zone.optional(),
  subject: text(300),
  description: z.string().max(20_000).default(''),
  priority: z.enum(PRIORITIES).optional(),
  policyId: text(100),
  channel: z.enum(['email', 'phone', 'web']).default('web'),
  fields: z.record(z.string().max(100), z.string().max(2_000)).default({}),
});

const agent = { agent: text(200) };
const actions = {
  respond: { def: c.respondUpdate, body: z.strictObject({ ...agent, message: text(20_000) }) },
  'request-info': { def: c.requestInfoUpdate, body: z.strictObject({ ...agent, message: text(20_000) }) },
  priority: { def: c.changePriorityUpdate, body: z.strictObject({ ...agent, priority: z.enum(PRIORITIES) }) },
  assign: { def: c.assignUpdate, body: z.strictObject({ ...agent, assignee: text(200), assigneeEmail: z.string().email() }) },
  escalate: { def: c.escalateUpdate, body: z.strictObject({ ...agent, summary: text(2_000) }) },
  mitigate: { def: c.markMitigatedUpdate, body: z.strictObject(agent) },
  downgrade: { def: c.downgradeEmergencyUpdate, body: z.strictObject({ ...agent, reason: text(2_000) }) },
  resolve: { def: c.resolveUpdate, body: z.strictObject({ ...agent, resolution: z.enum(['solution', 'workaround']), note: z.string().max(20_000).optional() }) },
  reopen: { def: c.reopenUpdate, body: z.strictObject(agent) },
  close: { def: c.closeUpdate, body: z.strictObject(agent) },
} as const;
const devActions = {
  progress: { def: c.devProgressUpdate, body: z.strictObject({ engineer: text(200), note: text(20_000) }) },
  resolve: { def: c.devResolveUpdate, body: z.strictObject({ engineer: text(200), note: text(20_000) }) },
} as const;
const ticketIdParam = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a ticket id') });

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}

export interface TicketsRouterDeps extends TicketOpener {
  client: Client;
  db: Db;
}

export function ticketsRouter(deps: TicketsRouterDeps): Router {
  const r = Router();

  r.post('/', async (req, res) => {
    const body = parse(openTicketBody, req.body, 'body');
    const created = await openTicket(deps, body);
    res.status(201).location(`/v1/tickets/${created.id}`).json(created);
  });

  r.get('/:id', async (req, res) => {
    const { id } = parse(ticketIdParam, req.params, 'params');
    const [row] = await deps.db.select().from(tickets).where(eq(tickets.id, id));
    if (row) {
      const { workflowId: _w, version: _v, ...pub } = row;
      res.json(pub);
      return;
    }
    // The workflow writes the row moments after it starts; until then its own state is the truth.
    try {
      res.json(await deps.client.workflow.getHandle(c.ticketWorkflowId(id)).query(c.ticketQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new Problem(404, 'not_found', `Ticket ${id} does not exist.`);
      throw err;
    }
  });

  /** A finished workflow is gone from Temporal's view, but the ticket still exists: a conflict, not a 404. */
  const runUpdate = async (id: string, handle: WorkflowHandle, run: () => Promise<unknown>) => {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const [row] = await deps.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, id));
      if (!row) throw new Problem(404, 'not_found', `Ticket ${id} does not exist.`);
      throw new Problem(409, 'ticket_finished', `Ticket ${id} is ${row.status}; no further actions are possible.`);
    }
  };

  for (const [path, { def, body }] of Object.entries(actions)) {
    r.post(`/:id/${path}`, async (req, res) => {
      const { id } = parse(ticketIdParam, req.params, 'params');
      const args = parse(body, req.body, 'body');
      const handle = deps.client.workflow.getHandle(c.ticketWorkflowId(id));
      res.json(await runUpdate(id, handle, () => handle.executeUpdate(def as never, { args: [args] as never })));
    });
  }

  r.post('/:id/replies', async (req, res) => {
    const { id } = parse(ticketIdParam, req.params, 'params');
    const { message } = parse(z.strictObject({ message: text(20_000) }), req.body, 'body');
    const handle = deps.client.workflow.getHandle(c.ticketWorkflowId(id));
    const [row] = await deps.db.select().from(tickets).where(eq(tickets.id, id));
    const view = (await runUpdate(id, handle, () => handle.executeUpdate(c.customerReplyUpdate, { args: [{ message }] })).catch((err: unknown) => {
      if (err instanceof Problem && err.code === 'ticket_finished') return { followUp: true };
      throw err;
    })) as { followUp?: boolean };
    if (!view.followUp) {
      res.json(view);
      return;
    }
    if (!row) throw new Problem(404, 'not_found', `Ticket ${id} does not exist.`);
    // After closing, the customer's reply starts a follow-up ticket linked to this one.
    const followUp = await openTicket(deps, {
      customerId: row.customerId,
      ...(row.resellerId ? { resellerId: row.resellerId } : {}),
      requesterEmail: row.requesterEmail,
      subject: `Follow-up to ${id}: ${row.subject}`.slice(0, 300),
      description: message,
      policyId: row.policyId,
      channel: row.channel as c.Channel,
      fields: row.fields,
      parentTicketId: id,
    });
    res.status(201).location(`/v1/tickets/${followUp.id}`).json({ ...followUp, followUpOf: id });
  });

  for (const [path, { def, body }] of Object.entries(devActions)) {
    r.post(`/:id/development/${path}`, async (req, res) => {
      const { id } = parse(ticketIdParam, req.params, 'params');
      const args = parse(body, req.body, 'body');
      const handle = deps.client.workflow.getHandle(c.devTicketWorkflowId(id));
      try {
        res.json(await handle.executeUpdate(def as never, { args: [args] as never }));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new Problem(409, 'no_dev_ticket', `Ticket ${id} has no open development ticket.`);
        throw err;
      }
    });
  }
  return r;
}
