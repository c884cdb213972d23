import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { subscriptions } from '../db/schema';
import { createSubscription, type SubscriptionState } from '../domain/subscription';
import { CustomerIdKey, SubscriptionStatusKey, SupportTierKey } from '../../workflows/search-attributes';
import {
  addSeatsUpdate,
  cancelAtTermEndUpdate,
  extendWarrantyUpdate,
  reinstateUpdate,
  renewUpdate,
  SUBSCRIPTION_TASK_QUEUE,
  subscriptionQuery,
  SubscriptionRefusal,
  subscriptionWorkflowId,
  upgradeUpdate,
  type NewSubscriptionInput,
  type OperationOutcome,
  type SubscriptionView,
} from '../../workflows/subscription/contract';
import { subscriptionWorkflow } from '../../workflows/subscription/subscription-workflow';
import { subscriptionView } from '../../workflows/subscription/view';
import { fromZod, Problem } from './problem';

const instant = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const idPattern = /^[A-Za-z0-9-]{1,64}$/;

const createBody = z.strictObject({
  id: z.string().regex(idPattern).optional(),
  customerId: z.string().min(1).max(100),
  contactEmail: z.email(),
  planId: z.string().min(1).max(100),
  timeZone: z.string().min(1).max(64),
  seats: z.number().int().positive().max(100_000).optional(),
  billingCycle: z.enum(['monthly', 'annual']).optional(),
  startAt: instant.optional(),
  includedWithPurchase: z.boolean().optional(),
  autoRenew: z.boolean().optional(),
  reminderOffsetsDays: z.array(z.number().int().positive().max(365)).max(10).optional(),
  hardware: z.strictObject({ productId: z.string().min(1).max(100), purchasedAt: instant }).optional(),
});
const emptyBody = z.strictObject({});
const renewBody = z.strictObject({ tier: z.string().min(1).max(50).optional() });
const upgradeBody = z.strictObject({ tier: z.string().min(1).max(50) });
const seatsBody = z.strictObject({ add: z.number().int().positive().max(100_000) });
const idParam = z.strictObject({ id: z.string().regex(idPattern) });

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** JSON for clients: ISO instants, and the domain state left out (it is the workflow's business). */
export function presentSubscription(v: SubscriptionView) {
  const { state: _state, ...rest } = v;
  return {
    ...rest,
    termStart: iso(v.termStart),
    termEnd: iso(v.termEnd),
    warrantyEnd: iso(v.warrantyEnd),
    lapsedAt: iso(v.lapsedAt),
    purgeAt: iso(v.purgeAt),
    purgedAt: iso(v.purgedAt),
    reminders: v.reminders.map((r) => ({ offsetDays: r.offsetDays, at: iso(r.at) })),
    nextTimers: v.nextTimers.map((t) => ({ ...t, at: iso(t.at) })),
  };
}

function presentOutcome(o: OperationOutcome) {
  return { subscription: presentSubscription(o.subscription), invoices: o.invoices, duplicate: o.duplicate };
}

export interface SubscriptionsRouterDeps {
  client: Client;
  db: Db;
  taskQueue?: string;
  now?: () => number;
}

export function subscriptionsRouter(deps: SubscriptionsRouterDeps): Router {
  const r = Router();
  const now = deps.now ?? Date.now;

  r.post('/', async (req, res) => {
    const { contactEmail, ...body } = parse(createBody, req.body, 'body');
    const createdAt = now();
    const request = { ...body, id: body.id ?? `S-${randomUUID().slice(0, 8).toUpperCase()}` };
    // The same pure function the workflow runs: a refusal is answered here and starts nothing.
    const preview = createSubscription(request, createdAt);
    if (!preview.ok) {
      const status = preview.code === 'invalid-input' || preview.code.startsWith('unknown-') ? 422 : 409;
      throw new Problem(status, SubscriptionRefusal[preview.code], preview.reason);
    }
    const input: NewSubscriptionInput = { kind: 'create', request, contactEmail, createdAt };
    const state = preview.state;
    try {
      await deps.client.workflow.start(subscriptionWorkflow, {
        workflowId: subscriptionWorkflowId(request.id),
        taskQueue: deps.taskQueue ?? SUBSCRIPTION_TASK_QUEUE,
        args: [input],
        staticSummary: `Subscription ${request.id} (${state.planId}) for ${state.customerId}`,
        typedSearchAttributes: [
          { key: CustomerIdKey, value: state.customerId },
          { key: SupportTierKey, value: state.tier },
          { key: SubscriptionStatusKey, value: state.status },
        ],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new Problem(409, 'already_exists', `Subscription ${request.id} already exists.`);
      }
      throw err;
    }
    res.status(201).location(`/v1/subscriptions/${request.id}`).json(presentSubscription(subscriptionView(state, createdAt)));
  });

  r.get('/:id', async (req, res) => {
    const { id } = parse(idParam, req.params, 'params');
    const [row] = await deps.db.select({ state: subscriptions.state }).from(subscriptions).where(eq(subscriptions.id, id));
    if (row) {
      res.json(presentSubscription(subscriptionView(row.state as unknown as SubscriptionState, now())));
      return;
    }
    // The workflow writes the row moments after it starts; until then its own state is the truth.
    try {
      res.json(presentSubscription(await deps.client.workflow.getHandle(subscriptionWorkflowId(id)).query(subscriptionQuery)));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new Problem(404, 'not_found', `Subscription ${id} does not exist.`);
      throw err;
    }
  });

  /** An Idempotency-Key makes a retried request the same operation (and the same Temporal update). */
  const action = <T extends z.ZodType>(path: string, schema: T, run: (id: string, body: z.infer<T>, ids: { operationId?: string; updateId: string }) => Promise<OperationOutcome>) => {
    r.post(`/:id/${path}`, async (req: Request, res) => {
      const { id } = parse(idParam, req.params, 'params');
      const body = parse(schema, req.body, 'body');
      const key = req.get('idempotency-key');
      const ids = key ? { operationId: `${path}:${key}`, updateId: `${path}-${key}` } : { updateId: randomUUID() };
      try {
        res.json(presentOutcome(await run(id, body, ids)));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new Problem(404, 'not_found', `Subscription ${id} does not exist.`);
        throw err;
      }
    });
  };
  const handle = (id: string) => deps.client.workflow.getHandle(subscriptionWorkflowId(id));
  const op = (ids: { operationId?: string }) => (ids.operationId === undefined ? {} : { operationId: ids.operationId });

  action('renew', renewBody, (id, b, ids) => handle(id).executeUpdate(renewUpdate, { args: [{ ...op(ids), ...b }], updateId: ids.updateId }));
  action('reinstate', emptyBody, (id, _b, ids) => handle(id).executeUpdate(reinstateUpdate, { args: [op(ids)], updateId: ids.updateId }));
  action('upgrade', upgradeBody, (id, b, ids) => handle(id).executeUpdate(upgradeUpdate, { args: [{ ...op(ids), tier: b.tier }], updateId: ids.updateId }));
  action('seats', seatsBody, (id, b, ids) => handle(id).executeUpdate(addSeatsUpdate, { args: [{ ...op(ids), seats: b.add }], updateId: ids.updateId }));
  action('cancel', emptyBody, (id, _b, ids) => handle(id).executeUpdate(cancelAtTermEndUpdate, { args: [op(ids)], updateId: ids.updateId }));
  action('warranty-extension', emptyBody, (id, _b, ids) => handle(id).executeUpdate(extendWarrantyUpdate, { args: [op(ids)], updateId: ids.updateId }));

  return r;
}
