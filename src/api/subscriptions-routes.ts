import { randomUUID } from 'node:crypto';
import { randomId } from '../infra/random-id';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AccountStore } from '../accounts/account-store';
import type { Owner } from '../auth/principal';
import type { CatalogStore } from '../catalog/catalog-store';
import type { Db } from '../db/client';
import { familyPlans, type PinnedCatalog } from '../domain/catalog/index';
import { subscriptions } from '../db/schema';
import { createSubscription, formatMoney, serviceStart, type SubscriptionState } from '../domain/subscription';
import { seatsFor } from '../billing/seat-count';
import { CustomerIdKey, SubscriptionStatusKey, SupportTierKey } from '../../workflows/search-attributes';
import {
  addSeatsUpdate,
  cancelAtTermEndUpdate,
  extendWarrantyUpdate,
  reinstateUpdate,
  renewUpdate,
  SUBSCRIPTION_TASK_QUEUE,
  subscriptionQuery,
  subscriptionWorkflowId,
  upgradeUpdate,
  type NewSubscriptionInput,
  type OperationOutcome,
  type SubscriptionView,
} from '../../workflows/subscription/contract';
import { subscriptionWorkflow } from '../../workflows/subscription/subscription-workflow';
import { subscriptionView } from '../../workflows/subscription/view';
import { derivedId } from './idempotency';
import { restartSubscription } from '../subscriptions/restart-subscription';
import { quoteReinstatement, type ReinstatementQuote } from '../subscriptions/reinstatement-quote';
import { assertWarrantySystem } from '../subscriptions/warranty-system';
import { errorCodes } from './error-codes';
import { workflowStatusOf } from './workflow-status';
import { notFound, Problem } from './problem';
import type { Api, RouteContext } from './route';
import { idParam, instant, resourceId, text, zone } from './schemas';

const at = instant.transform((s) => Date.parse(s));

const createBody = z
  .strictObject({
    id: resourceId.optional(),
    customerId: resourceId,
    contactEmail: z.email().max(320),
    planId: text(100),
    timeZone: zone,
    seats: z.number().int().positive().max(100_000).optional(),
    billingCycle: z.enum(['monthly', 'annual']).optional(),
    startAt: at.optional(),
    invoiceDate: at.optional().describe('004: the service period starts at the invoice date or at payment, whichever is earliest.'),
    paymentReceivedAt: at.optional(),
    includedWithPurchase: z.boolean().optional(),
    autoRenew: z.boolean().optional(),
    reminderOffsetsDays: z.array(z.number().int().positive().max(365)).max(10).optional(),
    hardware: z
      .strictObject({
        productId: text(100),
        purchasedAt: at,
        systemId: resourceId
          .optional()
          .describe(
            '002: the customer’s installed system the hardware warranty covers; its warranty tickets are covered until the warranty ends.',
          ),
      })
      .optional(),
  })
  .meta({ id: 'CreateSubscriptionRequest' });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const nullableIso = z.string().nullable();

export const subscriptionSchema = z
  .looseObject({
    id: resourceId,
    customerId: z.string(),
    planId: z.string(),
    tier: z.string(),
    status: z.string(),
    termStart: nullableIso,
    termEnd: nullableIso,
    reminders: z.array(z.strictObject({ offsetDays: z.number(), at: nullableIso })),
    nextTimers: z.array(z.looseObject({ at: nullableIso })),
    warranty: z
      .strictObject({
        productId: z.string(),
        systemId: z.string().nullable(),
        start: z.string(),
        end: z.string(),
        extensions: z.number().int(),
      })
      .nullable()
      .describe(
        '002: the hardware warranty the subscription sold, and the installed system it covers (`systemId`; null when the sale named none, so no system’s warranty tickets are covered by it).',
      ),
    catalogVersion: z
      .number()
      .int()
      .nullable()
      .describe('The catalog version the running term was sold on (GET /v1/plans?version=); null: the built-in plans.'),
    thirdPartyLicenses: z
      .array(
        z.strictObject({
          id: z.string(),
          name: z.string(),
          active: z.boolean(),
          deactivatedAt: nullableIso,
          reactivationFeeMinor: z.number().int(),
          currency: z.string(),
        }),
      )
      .describe(
        '004: third-party licenses the plan includes; deactivated when the subscription lapses or is cancelled, active again after a reinstatement, which charges each one’s reactivation fee (at the current catalog’s price: see …/reinstatement-quote).',
      ),
  })
  .meta({ id: 'Subscription' });
const outcomeSchema = z
  .strictObject({ subscription: subscriptionSchema, invoices: z.array(z.looseObject({})), duplicate: z.boolean() })
  .meta({ id: 'SubscriptionOutcome' });

/** Which system a sold warranty covers decides whose warranty tickets it covers: staff must see it. */
function warrantyOf(w: SubscriptionView['state']['warranty']) {
  if (!w) return null;
  return {
    productId: w.productId,
    systemId: w.systemId ?? null,
    start: new Date(w.start).toISOString(),
    end: new Date(w.end).toISOString(),
    extensions: w.extensions.length,
  };
}

/** JSON for clients: ISO instants, and the domain state left out (it is the workflow's business). */
export function presentSubscription(v: SubscriptionView) {
  const { state: _state, ...rest } = v;
  return {
    ...rest,
    catalogVersion: v.state.pinned?.version ?? null,
    // 004's phone cap is counted per subscription year; staff see where the customer stands.
    incidents: v.state.incidents.map((i) => ({ yearStart: new Date(i.yearStart).toISOString(), channel: i.channel, count: i.count })),
    termStart: iso(v.termStart),
    termEnd: iso(v.termEnd),
    warrantyEnd: iso(v.warrantyEnd),
    warranty: warrantyOf(v.state.warranty),
    lapsedAt: iso(v.lapsedAt),
    purgeAt: iso(v.purgeAt),
    purgedAt: iso(v.purgedAt),
    thirdPartyLicenses: v.thirdPartyLicenses.map((l) => ({ ...l, deactivatedAt: iso(l.deactivatedAt) })),
    reminders: v.reminders.map((r) => ({ offsetDays: r.offsetDays, at: iso(r.at) })),
    nextTimers: v.nextTimers.map((t) => ({ ...t, at: iso(t.at) })),
  };
}

const reinstatementQuoteSchema = z
  .strictObject({
    currency: z.string(),
    totalMinor: z.number().int(),
    total: z.string(),
    lines: z.array(
      z.strictObject({
        kind: z.string().describe('reinstatement-fee, license-reactivation-fee, subscription (backfilled), reinstatement-surcharge'),
        description: z.string(),
        amountMinor: z.number().int(),
        periodStart: z.string().optional(),
        periodEnd: z.string().optional(),
      }),
    ),
    licenses: z.array(z.string()).describe('The third-party licenses it switches back on.'),
    termEnd: z.string(),
  })
  .meta({ id: 'ReinstatementQuote' });

function presentQuote(q: ReinstatementQuote) {
  return {
    ...q,
    total: formatMoney(q.totalMinor, q.currency),
    lines: q.lines.map(({ periodStart, periodEnd, ...l }) => ({
      ...l,
      ...(periodStart === undefined ? {} : { periodStart: new Date(periodStart).toISOString() }),
      ...(periodEnd === undefined ? {} : { periodEnd: new Date(periodEnd).toISOString() }),
    })),
    termEnd: new Date(q.termEnd).toISOString(),
  };
}

function presentOutcome(o: OperationOutcome) {
  return { subscription: presentSubscription(o.subscription), invoices: o.invoices, duplicate: o.duplicate };
}

export interface SubscriptionRoutesDeps {
  client: Client;
  db: Db;
  /** Where the customer's installed systems are on record: a warranty names one of them. */
  accounts: AccountStore;
  /** New sales, renewals and reinstatements are priced on its current version (issue 14). */
  catalog?: CatalogStore;
  taskQueue?: string;
  now?: () => number;
}

const STAFF = ['staff', 'admin'] as const;

export function subscriptionRoutes(api: Api, deps: SubscriptionRoutesDeps): void {
  const now = deps.now ?? Date.now;
  const handle = (id: string) => deps.client.workflow.getHandle(subscriptionWorkflowId(id));
  /** The current catalog's plans of the plan's family; a plan no longer on sale pins none, so it is refused. */
  const salePin = async (planId: string): Promise<PinnedCatalog | undefined> => {
    if (!deps.catalog) return undefined;
    const v = await deps.catalog.current();
    return { version: v.version, plans: familyPlans(v.catalog.plans, planId) };
  };
  /** A renewal re-prices on the current catalog; when it no longer sells the plan the pinned version stays. */
  const renewalPin = async (id: string): Promise<{ catalog?: PinnedCatalog }> => {
    const [row] = await deps.db.select({ planId: subscriptions.planId }).from(subscriptions).where(eq(subscriptions.id, id));
    const pin = row ? await salePin(row.planId) : undefined;
    return pin && Object.hasOwn(pin.plans, row?.planId ?? '') ? { catalog: pin } : {};
  };

  /** Subscriptions belong to a customer; no reseller owns one, so a reseller key sees none. */
  const owner = async ({ id }: { id: string }): Promise<Owner | undefined> => {
    const [row] = await deps.db.select({ customerId: subscriptions.customerId }).from(subscriptions).where(eq(subscriptions.id, id));
    if (row) return row;
    try {
      const customerId = (await handle(id).describe()).typedSearchAttributes.get(CustomerIdKey);
      return customerId ? { customerId } : undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  };

  api.route({
    method: 'post',
    path: '/v1/subscriptions',
    tag: 'Subscriptions',
    summary: 'Create a subscription',
    description: 'Without an id, an Idempotency-Key fixes the generated one, so a retry never creates a second subscription.',
    roles: STAFF,
    body: createBody,
    responses: {
      201: { description: 'Created; the workflow runs the term.', schema: subscriptionSchema },
      409: { description: 'Already exists or refused.' },
    },
    async handler({ body: { contactEmail, invoiceDate, paymentReceivedAt, ...body }, idempotency, annotate }) {
      const createdAt = now();
      const id = body.id ?? (idempotency ? derivedId('S-', idempotency, 'create') : randomId('S-'));
      // A plan published after the built-in ones is counted by the catalog the sale is priced on.
      const pin = await salePin(body.planId);
      const seats = await seatsFor(deps.db, body, pin?.plans);
      if (body.hardware?.systemId !== undefined) await assertWarrantySystem(deps.accounts, body.customerId, body.hardware.systemId);
      // A rule across fields, so it is the domain's refusal rather than the document's (which cannot say it).
      if (body.startAt !== undefined && (invoiceDate !== undefined || paymentReceivedAt !== undefined)) {
        throw new Problem(422, 'invalid_input', 'Give startAt, or invoiceDate and/or paymentReceivedAt, not both.', [
          { path: 'body.startAt', message: 'not together with invoiceDate or paymentReceivedAt' },
        ]);
      }
      const startAt = serviceStart({ ...body, invoiceDate, paymentReceivedAt });
      const request = { ...body, id, ...(seats === undefined ? {} : { seats }), ...(startAt === undefined ? {} : { startAt }) };
      annotate({ subscriptionId: id, workflowId: subscriptionWorkflowId(id) });
      // The same pure function the workflow runs: a refusal is answered here and starts nothing.
      const preview = createSubscription(request, createdAt, pin ? { pin } : undefined);
      if (!preview.ok) {
        throw new Problem(errorCodes[preview.code].status, preview.code, preview.reason);
      }
      const input: NewSubscriptionInput = { kind: 'create', request, contactEmail, createdAt, ...(pin ? { catalog: pin } : {}) };
      const state = preview.state;
      try {
        await deps.client.workflow.start(subscriptionWorkflow, {
          workflowId: subscriptionWorkflowId(id),
          taskQueue: deps.taskQueue ?? SUBSCRIPTION_TASK_QUEUE,
          args: [input],
          staticSummary: `Subscription ${id} (${state.planId}) for ${state.customerId}`,
          typedSearchAttributes: [
            { key: CustomerIdKey, value: state.customerId },
            { key: SupportTierKey, value: state.tier },
            { key: SubscriptionStatusKey, value: state.status },
          ],
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          throw new Problem(409, 'already_exists', `Subscription ${id} already exists.`, undefined, {
            Location: `/v1/subscriptions/${id}`,
          });
        throw err;
      }
      return {
        status: 201,
        body: presentSubscription(subscriptionView(state, createdAt)),
        headers: { Location: `/v1/subscriptions/${id}` },
      };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/subscriptions/:id',
    tag: 'Subscriptions',
    summary: 'Read a subscription',
    roles: ['customer', 'staff', 'admin'],
    params: idParam,
    owner,
    responses: { 200: { description: 'The subscription.', schema: subscriptionSchema } },
    async handler({ params: { id } }) {
      const [row] = await deps.db.select({ state: subscriptions.state }).from(subscriptions).where(eq(subscriptions.id, id));
      if (row) {
        const view = presentSubscription(subscriptionView(row.state as unknown as SubscriptionState, now()));
        // Its workflow never ends by itself: any other state than running needs a restart.
        return { status: 200, body: { ...view, ...(await workflowStatusOf(handle(id))) } };
      }
      // The workflow writes the row moments after it starts; until then its own state is the truth.
      try {
        return { status: 200, body: presentSubscription(await handle(id).query(subscriptionQuery)) };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw notFound(`Subscription ${id}`);
        throw err;
      }
    },
  });

  api.route({
    method: 'get',
    path: '/v1/subscriptions/:id/reinstatement-quote',
    tag: 'Subscriptions',
    summary: 'Quote a reinstatement',
    description:
      'What POST …/reinstate would charge now, on the catalog it would use: the Support Reinstatement Fee, the renewals backfilled to the original expiry, any surcharge and each included third-party license’s reactivation fee (004). Records nothing.',
    roles: ['customer', 'staff', 'admin'],
    params: idParam,
    owner,
    responses: {
      200: { description: 'The lines a reinstatement now would invoice.', schema: reinstatementQuoteSchema },
      409: { description: 'Not lapsed (not_lapsed): nothing to reinstate.' },
    },
    async handler({ params: { id } }) {
      const [row] = await deps.db.select({ state: subscriptions.state }).from(subscriptions).where(eq(subscriptions.id, id));
      if (!row) throw notFound(`Subscription ${id}`);
      const { catalog } = await renewalPin(id);
      const quote = quoteReinstatement(row.state as unknown as SubscriptionState, now(), catalog);
      if ('ok' in quote) throw new Problem(errorCodes[quote.code].status, quote.code, quote.reason);
      return { status: 200, body: presentQuote(quote) };
    },
  });

  api.route({
    method: 'post',
    path: '/v1/subscriptions/:id/restart',
    tag: 'Subscriptions',
    summary: 'Restart an ended subscription workflow',
    description:
      'For a subscription whose workflow an operator cancelled or terminated, or that failed (`needsRestart`): a new run resumes from the state the ended run held; timers that passed meanwhile fire at once.',
    roles: STAFF,
    params: idParam,
    owner,
    responses: {
      200: { description: 'The subscription in its new run.', schema: subscriptionSchema },
      409: { description: 'The workflow is running (subscription_running).' },
    },
    async handler({ params: { id }, annotate }) {
      annotate({ subscriptionId: id, workflowId: subscriptionWorkflowId(id) });
      return { status: 200, body: presentSubscription(await restartSubscription(deps, id)) };
    },
  });

  type Ids = { operationId?: string; updateId: string };
  /** An Idempotency-Key makes a retried request the same operation (and the same Temporal update), per API key. */
  const action = <T extends z.ZodType>(
    path: string,
    summary: string,
    schema: T,
    run: (id: string, body: z.output<T>, ids: Ids) => Promise<OperationOutcome>,
  ) => {
    api.route({
      method: 'post',
      path: `/v1/subscriptions/:id/${path}`,
      tag: 'Subscriptions',
      summary,
      roles: STAFF,
      params: idParam,
      body: schema,
      owner,
      responses: {
        200: { description: 'The outcome: the subscription after it and any invoices.', schema: outcomeSchema },
        409: { description: 'Refused in the current state (code = the reason).' },
      },
      async handler(ctx: RouteContext<{ id: string }, unknown, z.output<T>>) {
        const { id } = ctx.params;
        ctx.annotate({ subscriptionId: id, workflowId: subscriptionWorkflowId(id) });
        const idem = ctx.idempotency;
        const ids = idem
          ? { operationId: `${path}:${idem.keyId}:${idem.key}`, updateId: `${path}-${idem.keyId}-${idem.key}` }
          : { updateId: randomUUID() };
        try {
          return { status: 200, body: presentOutcome(await run(id, ctx.body, ids)) };
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw notFound(`Subscription ${id}`);
          throw err;
        }
      },
    });
  };
  const op = (ids: { operationId?: string }) => (ids.operationId === undefined ? {} : { operationId: ids.operationId });
  const empty = z.strictObject({});

  action('renew', 'Renew the subscription', z.strictObject({ tier: text(50).optional() }), (id, b, ids) =>
    renewalPin(id).then((pin) => handle(id).executeUpdate(renewUpdate, { args: [{ ...op(ids), ...b, ...pin }], updateId: ids.updateId })),
  );
  action('reinstate', 'Reinstate the subscription', empty, (id, _b, ids) =>
    renewalPin(id).then((pin) => handle(id).executeUpdate(reinstateUpdate, { args: [{ ...op(ids), ...pin }], updateId: ids.updateId })),
  );
  action('upgrade', 'Upgrade the tier', z.strictObject({ tier: text(50) }), (id, b, ids) =>
    handle(id).executeUpdate(upgradeUpdate, { args: [{ ...op(ids), tier: b.tier }], updateId: ids.updateId }),
  );
  action('seats', 'Add seats', z.strictObject({ add: z.number().int().positive().max(100_000) }), (id, b, ids) =>
    handle(id).executeUpdate(addSeatsUpdate, { args: [{ ...op(ids), seats: b.add }], updateId: ids.updateId }),
  );
  action('cancel', 'Cancel at term end', empty, (id, _b, ids) =>
    handle(id).executeUpdate(cancelAtTermEndUpdate, { args: [op(ids)], updateId: ids.updateId }),
  );
  action('warranty-extension', 'Extend the hardware warranty', empty, (id, _b, ids) =>
    handle(id).executeUpdate(extendWarrantyUpdate, { args: [op(ids)], updateId: ids.updateId }),
  );
}
