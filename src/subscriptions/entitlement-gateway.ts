import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { ChangeFeed } from '../db/change-feed';
import { DEFAULT_CACHE_TTL_MS, ReadCache } from '../db/read-cache';
import type { Db } from '../db/client';
import { entitlements, subscriptions } from '../db/schema';
import type { SoldWarranty, SubscriptionCover } from '../domain/accounts/index';
import { findPlan, planCatalog } from '../domain/subscription/index';
import { ticketWorkflowId } from '../../workflows/ticket/contract';
import {
  claimTicketEntitlementUpdate,
  releaseTicketEntitlementUpdate,
  subscriptionWorkflowId,
  type EntitlementDecision,
  type TicketChannel,
} from '../../workflows/subscription/contract';

export type { EntitlementDecision } from '../../workflows/subscription/contract';

export interface EntitlementClaim {
  customerId: string;
  ticketId: string;
  channel: TicketChannel;
  /** Ticket opening instant (epoch ms): 002 covers tickets opened before expiry. */
  at: number;
}

/** The questions the ticket-open path asks: what does the customer's subscription cover, and does this ticket count? */
export interface EntitlementGateway {
  /**
   * What the read model says covers the customer at `at`, without counting anything: coverage decides
   * the policy before the ticket is checked, and only a ticket that passes every check is claimed.
   * Undefined when the customer has no subscription at all.
   */
  peek(customerId: string, at: number): Promise<SubscriptionCover | undefined>;
  /** The hardware warranties the customer's subscriptions sold for its systems (002), from the same read model. */
  warranties(customerId: string): Promise<SoldWarranty[]>;
  claim(req: EntitlementClaim): Promise<EntitlementDecision>;
  /**
   * Gives back the incident a claim counted when its ticket's workflow never started; a ticket that
   * exists (a start that timed out yet ran) keeps it. Answers whether it was given back.
   */
  release(req: { subscriptionId: string; ticketId: string; at: number }): Promise<boolean>;
}

/**
 * The release runs after the start failed, often when the request's Temporal deadline has passed: it gets
 * a budget of its own, and if that runs out too the subscription's own check gives the incident back.
 */
const RELEASE_TIMEOUT_MS = 5_000;

export interface TemporalEntitlementGatewayDeps {
  client: Client;
  db: Db;
  /** Kept for symmetry with the routers; claims go to an already running workflow. */
  taskQueue?: string;
  /** Heard: each customer's coverage is kept in memory until the feed announces a change to it. */
  changes?: ChangeFeed | undefined;
  cacheTtlMs?: number | undefined;
}

/**
 * Finds the customer's subscription in the read model (a running one first, then the latest) and
 * asks its workflow, which answers a retried ticket opening from the first claim and never counts a
 * second incident. The update id names the attempt (ticket and opening instant), not the ticket alone:
 * after a release, the server would otherwise answer a later attempt's claim from the first, uncounted.
 */
export function temporalEntitlementGateway(deps: TemporalEntitlementGatewayDeps): EntitlementGateway {
  // Every opening peeks, and a customer without a subscription (most have contracts) took two queries.
  const cache = deps.changes
    ? new ReadCache<CustomerCoverage>(deps.changes, 'coverage', { ttlMs: deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS, keyedById: true })
    : undefined;
  const coverage = async (customerId: string) => {
    const load = () => loadCoverage(deps.db, customerId);
    return (await cache?.get(customerId, load)) ?? load();
  };
  return {
    peek: async (customerId, at) => coverAt(await coverage(customerId), at),
    warranties: async (customerId) => (await coverage(customerId)).warranties,
    async claim(req) {
      const [row] = await deps.db
        .select({ id: subscriptions.id })
        .from(subscriptions)
        .where(eq(subscriptions.customerId, req.customerId))
        .orderBy(asc(sql`case when ${subscriptions.status} in ('active', 'expiring') then 0 else 1 end`), desc(subscriptions.termEnd))
        .limit(1);
      if (!row) {
        return {
          covered: false,
          code: 'no_subscription',
          reason: `customer ${req.customerId} has no support subscription`,
          ticketId: req.ticketId,
        };
      }
      return deps.client.workflow.getHandle(subscriptionWorkflowId(row.id)).executeUpdate(claimTicketEntitlementUpdate, {
        args: [{ ticketId: req.ticketId, channel: req.channel, at: req.at }],
        updateId: `claim-${req.ticketId}-${req.at}`,
      });
    },
    release: (req) =>
      deps.client.withDeadline(Date.now() + RELEASE_TIMEOUT_MS, async () => {
        try {
          await deps.client.workflow.getHandle(ticketWorkflowId(req.ticketId)).describe();
          return false;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
        const handle = deps.client.workflow.getHandle(subscriptionWorkflowId(req.subscriptionId));
        const { released } = await handle.executeUpdate(releaseTicketEntitlementUpdate, {
          args: [{ ticketId: req.ticketId, at: req.at }],
          updateId: `release-${req.ticketId}-${req.at}`,
        });
        return released;
      }),
  };
}

/**
 * A customer's coverage as the read model holds it: every entitlement period of its subscriptions, its
 * latest subscription, and the hardware warranties its subscriptions sold for a named system. Small (a
 * period per term), and changed only by its subscription workflows, whose every write the feed announces.
 * `policyId` is the policy the period grants, as its row records it; absent, the built-in plan's decides.
 */
export interface CustomerCoverage {
  periods: Array<{ subscriptionId: string; planId: string; tier: string; validFrom: number; validTo: number; policyId?: string }>;
  latest?: { id: string; status: string; termEnd: number };
  warranties: SoldWarranty[];
}

/**
 * The period's own `policy_id`, written with it from the catalog version its subscription was sold on.
 * Rows written before that column was filled resolve it as the writer does: a plan published with PUT
 * /v1/plans exists only in that pinned version, which the subscription's state carries.
 */
const pinnedPolicyId = sql<
  string | null
>`coalesce(${entitlements.policyId}, ${subscriptions.state} #>> array['pinned', 'plans', ${entitlements.planId}, 'policyId'])`;

/**
 * The warranty lives in the subscription's state (`warranty`), kept whatever the support term does: 002
 * sells hardware and software assurance separately, so a lapsed subscription's warranty still counts.
 */
const warrantyField = (key: 'systemId' | 'start' | 'end') => sql<string>`${subscriptions.state} #>> array['warranty', ${key}]`;

export async function loadCoverage(db: Db, customerId: string): Promise<CustomerCoverage> {
  const [periods, [latest], warranties] = await Promise.all([
    db
      .select({
        subscriptionId: entitlements.subscriptionId,
        planId: entitlements.planId,
        tier: entitlements.tier,
        validFrom: entitlements.validFrom,
        validTo: entitlements.validTo,
        policyId: pinnedPolicyId,
      })
      .from(entitlements)
      .leftJoin(subscriptions, eq(subscriptions.id, entitlements.subscriptionId))
      .where(eq(entitlements.customerId, customerId)),
    db
      .select({ id: subscriptions.id, status: subscriptions.status, termEnd: subscriptions.termEnd })
      .from(subscriptions)
      .where(eq(subscriptions.customerId, customerId))
      .orderBy(desc(subscriptions.termEnd))
      .limit(1),
    db
      .select({
        subscriptionId: subscriptions.id,
        systemId: warrantyField('systemId'),
        start: sql<number>`(${warrantyField('start')})::float8`.mapWith(Number),
        end: sql<number>`(${warrantyField('end')})::float8`.mapWith(Number),
      })
      .from(subscriptions)
      .where(and(eq(subscriptions.customerId, customerId), isNotNull(warrantyField('systemId')))),
  ]);
  return {
    periods: periods.map(({ policyId, ...p }) => ({
      ...p,
      validFrom: p.validFrom.getTime(),
      validTo: p.validTo.getTime(),
      ...(policyId ? { policyId } : {}),
    })),
    ...(latest ? { latest: { ...latest, termEnd: latest.termEnd.getTime() } } : {}),
    warranties,
  };
}

/** What covers the customer at `at`; undefined when it has no subscription at all. */
export function coverAt(c: CustomerCoverage, at: number): SubscriptionCover | undefined {
  // Overlapping periods (a renewal bought early): the one that runs longest decides.
  const period = c.periods.filter((p) => p.validFrom <= at && at < p.validTo).sort((a, b) => b.validTo - a.validTo)[0];
  // 004: "without an active Support Subscription must pay hourly": a subscriber whose plan went unresolved
  // would fall through to the hourly path and be billed, so the pinned catalog decides before the built-ins.
  const policyId = period ? (period.policyId ?? findPlan(planCatalog, period.planId)?.policyId) : undefined;
  if (period && policyId) return { covered: true, policyId, subscriptionId: period.subscriptionId, tier: period.tier };
  const sub = c.latest;
  if (!sub) return undefined;
  return {
    covered: false,
    code: sub.status,
    reason: `subscription ${sub.id} is ${sub.status} (term ended ${new Date(sub.termEnd).toISOString()})`,
  };
}

/** The peek alone reads only the read model, so activities can ask it without a Temporal client. */
export async function peekEntitlement(db: Db, customerId: string, at: number): Promise<SubscriptionCover | undefined> {
  return coverAt(await loadCoverage(db, customerId), at);
}
