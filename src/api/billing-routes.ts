import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import {
  BadCursor,
  customerCharges,
  customerOwner,
  listSubscriptions,
  subscriptionInvoices,
  subscriptionOwner,
  type Scope,
} from '../billing/billing-store';
import { customerFeatures } from '../billing/customer-features';
import { CustomerIdKey } from '../../workflows/search-attributes';
import { subscriptionWorkflowId } from '../../workflows/subscription/contract';
import { subscriptionView } from '../../workflows/subscription/view';
import {
  chargePageSchema,
  featureSetSchema,
  invoiceListSchema,
  listSubscriptionsQuery,
  pageQuery,
  subscriptionPageSchema,
} from './billing-schemas';
import { Problem } from './problem';
import type { Api } from './route';
import { idParam } from './schemas';
import { presentSubscription } from './subscriptions-routes';

export interface BillingRoutesDeps {
  client: Client;
  db: Db;
  now?: () => number;
}

const READERS = ['customer', 'reseller', 'staff', 'admin'] as const;
const DEFAULT_PAGE = 50;

const scopeOf = (p: Principal): Scope =>
  p.role === 'customer' ? { customerId: p.tenantId ?? '' } : p.role === 'reseller' ? { resellerId: p.tenantId ?? '' } : {};

/** Only a cursor this API wrote pages on; anything else is the caller's mistake, not ours. */
async function paged<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof BadCursor)) throw err;
    throw new Problem(422, 'validation_failed', 'The request query is invalid.', [
      { path: 'query.cursor', message: 'not a cursor from a previous page' },
    ]);
  }
}

/** RFC 9110 If-None-Match: `*`, or a list of entity tags compared weakly. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * What a customer bought and was billed, read back (issue 14, item 6): subscriptions, invoices with
 * their lines, the customer's charges of subscriptions and tickets alike, and its current feature
 * set. A customer key reads its own, a reseller key its end customers'; another tenant's answers 404.
 */
export function billingRoutes(api: Api, deps: BillingRoutesDeps): void {
  const now = deps.now ?? Date.now;
  const ofCustomer = ({ id }: { id: string }) => customerOwner(deps.db, id);
  /** Until the workflow writes its first row, the run's search attribute names the customer (as GET /v1/subscriptions/:id). */
  const ofSubscription = async ({ id }: { id: string }) => {
    const stored = await subscriptionOwner(deps.db, id);
    if (stored) return stored;
    try {
      const customerId = (await deps.client.workflow.getHandle(subscriptionWorkflowId(id)).describe()).typedSearchAttributes.get(
        CustomerIdKey,
      );
      return customerId ? ((await customerOwner(deps.db, customerId)) ?? { customerId }) : undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  };

  api.route({
    method: 'get',
    path: '/v1/subscriptions',
    tag: 'Subscriptions',
    summary: 'List subscriptions',
    description: 'Ordered by id; filters combine. A customer key lists its own, a reseller key its end customers’.',
    roles: READERS,
    query: listSubscriptionsQuery,
    responses: { 200: { description: 'One page of subscriptions.', schema: subscriptionPageSchema } },
    async handler({ principal, query: { limit, ...filter } }) {
      const page = await paged(() => listSubscriptions(deps.db, scopeOf(principal), { ...filter, limit: limit ?? DEFAULT_PAGE }));
      const at = now();
      return {
        status: 200,
        body: { items: page.items.map((s) => presentSubscription(subscriptionView(s, at))), nextCursor: page.nextCursor },
      };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/subscriptions/:id/invoices',
    tag: 'Subscriptions',
    summary: 'List a subscription’s invoices',
    description: 'Oldest first, each with its lines (what, which period, amount in minor units) and when each part is due.',
    roles: READERS,
    params: idParam,
    owner: ofSubscription,
    responses: { 200: { description: 'The invoices.', schema: invoiceListSchema } },
    async handler({ params: { id } }) {
      return { status: 200, body: { items: await subscriptionInvoices(deps.db, id) } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/customers/:id/charges',
    tag: 'Accounts',
    summary: 'List a customer’s charges',
    description:
      'Oldest first: subscription lines and ticket charges (an emergency ticket, hourly work); a refund is a negative line whose `refersTo` names the charge it gives back.',
    roles: READERS,
    params: idParam,
    query: pageQuery,
    owner: ofCustomer,
    responses: { 200: { description: 'One page of charges.', schema: chargePageSchema } },
    async handler({ params: { id }, query }) {
      return { status: 200, body: await paged(() => customerCharges(deps.db, id, { ...query, limit: query.limit ?? DEFAULT_PAGE })) };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/customers/:id/features',
    tag: 'Accounts',
    summary: 'Read a customer’s feature set',
    description:
      'The subscription features on right now, which subscription grants each and since when; a lapse turns them off at the expiry instant. Poll with If-None-Match: the answer is 304 Not Modified while nothing changed.',
    roles: READERS,
    params: idParam,
    owner: ofCustomer,
    responses: { 200: { description: 'The feature set, with an ETag.', schema: featureSetSchema } },
    async handler({ req, params: { id } }) {
      const { body, etag } = await customerFeatures(deps.db, id, now());
      const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
      if (matchesEtag(req.get('if-none-match'), etag)) return { status: 304, headers };
      return { status: 200, body, headers };
    },
  });
}
