import type { Client } from '@temporalio/client';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { subscriptions } from '../db/schema';
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

/** The one question the ticket-open path asks: is this ticket covered, at which tier, and does it count? */
export interface EntitlementGateway {
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
