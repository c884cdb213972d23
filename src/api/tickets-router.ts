import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { CustomerIdKey, SlaBreachedKey, SlaStateKey, SupportTierKey, TicketPriorityKey, TicketStatusKey } from '../../workflows/search-attributes';
import { respondUpdate, resolveUpdate, TICKET_TASK_QUEUE, ticketQuery, ticketWorkflowId, SlaState, TicketStatus, type OpenTicketInput } from '../../workflows/ticket/contract';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { fromZod, Problem } from './problem';
import type { TicketTerms } from '../tickets/ticket-terms';

const openTicketBody = z.strictObject({
  customerId: z.string().min(1).max(100),
  requesterEmail: z.string().email(),
  subject: z.string().min(1).max(300),
  description: z.string().max(20_000).default(''),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
  policyId: z.string().min(1).max(100),
});

const respondBody = z.strictObject({ agent: z.string().min(1).max(200), message: z.string().min(1).max(20_000) });
const resolveBody = z.strictObject({ agent: z.string().min(1).max(200), resolution: z.enum(['solution', 'workaround']), note: z.string().max(20_000).optional() });
const ticketIdParam = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}

const iso = (ms: number | undefined | null) => (ms === undefined || ms === null ? null : new Date(ms).toISOString());

export interface TicketsRouterDeps {
  client: Client;
  db: Db;
  terms: TicketTerms;
  taskQueue?: string;
  now?: () => number;
}

export function ticketsRouter(deps: TicketsRouterDeps): Router {
  const r = Router();
  const now = deps.now ?? Date.now;

  r.post('/', async (req, res) => {
    const body = parse(openTicketBody, req.body, 'body');
    const openedAt = now();
    const terms = deps.terms.resolve(body.policyId, body.priority, openedAt);
    if (!terms.ok) throw new Problem(422, terms.code, terms.reason, [{ path: 'body.policyId', message: terms.reason }]);
    const ticketId = `T-${randomUUID().slice(0, 8).toUpperCase()}`;
    const input: OpenTicketInput = {
      ticketId,
      customerId: body.customerId,
      requesterEmail: body.requesterEmail,
      subject: body.subject,
      description: body.description,
      priority: body.priority,
      policyId: terms.policyId,
      policyVersion: terms.policyVersion,
      openedAt,
      firstResponseDueAt: terms.firstResponseDueAt,
      tier: terms.tier,
      displayZone: terms.displayZone,
    };
    await deps.client.workflow.start(ticketWorkflow, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue: deps.taskQueue ?? TICKET_TASK_QUEUE,
      args: [input],
      staticSummary: `Ticket ${ticketId} (${body.priority}) for ${body.customerId}: ${body.subject.slice(0, 80)}`,
      typedSearchAttributes: [
        { key: CustomerIdKey, value: body.customerId },
        { key: SupportTierKey, value: terms.tier },
        { key: TicketPriorityKey, value: body.priority },
        { key: TicketStatusKey, value: TicketStatus.New },
        { key: SlaStateKey, value: SlaState.Ok },
        { key: SlaBreachedKey, value: false },
      ],
    });
    res.status(201).location(`/v1/tickets/${ticketId}`).json({
      id: ticketId,
      status: TicketStatus.New,
      priority: body.priority,
      policyId: terms.policyId,
      policyVersion: terms.policyVersion,
      openedAt: iso(openedAt),
      deadlines: { firstResponse: iso(terms.firstResponseDueAt) },
    });
  });

  r.get('/:id', async (req, res) => {
    const { id } = parse(ticketIdParam, req.params, 'params');
    const [row] = await deps.db.select().from(tickets).where(eq(tickets.id, id));
    if (row) {
      res.json({
        id: row.id,
        customerId: row.customerId,
        status: row.status,
        slaState: row.slaState,
        priority: row.priority,
        policyId: row.policyId,
        policyVersion: row.policyVersion,
        subject: row.subject,
        openedAt: row.openedAt.toISOString(),
        firstRespondedAt: row.firstRespondedAt?.toISOString() ?? null,
        resolvedAt: row.resolvedAt?.toISOString() ?? null,
        deadlines: row.deadlines,
      });
      return;
    }
    // The workflow writes the row moments after it starts; until then its own state is the truth.
    try {
      const view = await deps.client.workflow.getHandle(ticketWorkflowId(id)).query(ticketQuery);
      res.json({ id, customerId: view.customerId, status: view.status, slaState: view.slaState, priority: view.priority, openedAt: iso(view.openedAt), deadlines: { firstResponse: iso(view.firstResponseDueAt) } });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new Problem(404, 'not_found', `Ticket ${id} does not exist.`);
      throw err;
    }
  });

  const action = <T extends z.ZodType>(path: string, schema: T, run: (id: string, body: z.infer<T>, req: Request) => Promise<unknown>) => {
    r.post(`/:id/${path}`, async (req, res) => {
      const { id } = parse(ticketIdParam, req.params, 'params');
      const body = parse(schema, req.body, 'body');
      try {
        res.json(await run(id, body, req));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        // A finished ticket workflow is gone from Temporal's view, but the ticket still exists: that is a conflict.
        const [row] = await deps.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, id));
        if (!row) throw new Problem(404, 'not_found', `Ticket ${id} does not exist.`);
        throw new Problem(409, 'ticket_finished', `Ticket ${id} is ${row.status}; no further actions are possible.`);
      }
    });
  };
  action('respond', respondBody, (id, body) => deps.client.workflow.getHandle(ticketWorkflowId(id)).executeUpdate(respondUpdate, { args: [body] }));
  action('resolve', resolveBody, (id, body) => deps.client.workflow.getHandle(ticketWorkflowId(id)).executeUpdate(resolveUpdate, { args: [body] }));

  return r;
}
