import type { Client } from '@temporalio/client';
import { and, asc, desc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { entitlements, subscriptions } from '../db/schema';
import type { SubscriptionCover } from '../domain/accounts/index';
import { findPlan, planCatalog } from '../domain/subscription/index';
import {
  claimTicketEntitlementUpdate,
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
  claim(req: EntitlementClaim): Promise<EntitlementDecision>;
}

export interface TemporalEntitlementGatewayDeps {
  client: Client;
  db: Db;
  /** Kept for symmetry with the routers; claims go to an already running workflow. */
  taskQueue?: string;
}

/**
 * Finds the customer's subscription in the read model (a running one first, then the latest) and
 * asks its workflow. The update id is derived from the ticket, so a retried ticket opening is
 * answered from the first claim and never counts a second incident.
 */
export function temporalEntitlementGateway(deps: TemporalEntitlementGatewayDeps): EntitlementGateway {
  return {
    peek: (customerId, at) => peekEntitlement(deps.db, customerId, at),
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
        updateId: `claim-${req.ticketId}`,
      });
    },
  };
}

/** The peek alone reads only the read model, so activities can ask it without a Temporal client. */
export async function peekEntitlement(db: Db, customerId: string, at: number): Promise<SubscriptionCover | undefined> {
  const when = new Date(at);
  const [period] = await db
    .select({ subscriptionId: entitlements.subscriptionId, planId: entitlements.planId, tier: entitlements.tier })
    .from(entitlements)
    .where(and(eq(entitlements.customerId, customerId), lte(entitlements.validFrom, when), gt(entitlements.validTo, when)))
    // Overlapping periods (a renewal bought early): the one that runs longest decides.
    .orderBy(desc(entitlements.validTo))
    .limit(1);
  const policyId = period ? findPlan(planCatalog, period.planId)?.policyId : undefined;
  if (period && policyId) return { covered: true, policyId, subscriptionId: period.subscriptionId, tier: period.tier };
  const [sub] = await db
    .select({ id: subscriptions.id, status: subscriptions.status, termEnd: subscriptions.termEnd })
    .from(subscriptions)
    .where(eq(subscriptions.customerId, customerId))
    .orderBy(desc(subscriptions.termEnd))
    .limit(1);
  if (!sub) return undefined;
  return {
    covered: false,
    code: sub.status,
    reason: `subscription ${sub.id} is ${sub.status} (term ended ${sub.termEnd.toISOString()})`,
  };
}
