import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, eq, gt, ne } from 'drizzle-orm';
import type { Db } from '../src/db/client';
import { policies, tickets } from '../src/db/schema';
import type { SupportPolicy } from '../src/domain/ticket/index';
import { policyFingerprint } from '../src/tickets/policy-fingerprint';

export function createPolicyActivities(deps: { db: Db }) {
  return {
    /**
     * Inserts the version; a retry finds its own row and succeeds, a different policy under the same
     * version number (a concurrent PUT won) is refused for good.
     */
    async storePolicyVersion(policy: SupportPolicy): Promise<void> {
      const spec = policy as unknown as Record<string, unknown>;
      const inserted = await deps.db
        .insert(policies)
        .values({ id: policy.id, version: policy.version, spec })
        .onConflictDoNothing()
        .returning({ id: policies.id });
      if (inserted.length) return;
      const [row] = await deps.db
        .select({ spec: policies.spec })
        .from(policies)
        .where(and(eq(policies.id, policy.id), eq(policies.version, policy.version)));
      if (row && policyFingerprint(row.spec as unknown as SupportPolicy) === policyFingerprint(policy)) return;
      throw ApplicationFailure.nonRetryable(
        `Version ${policy.version} of ${policy.id} was stored concurrently with other terms; read it and retry.`,
        'version_conflict',
      );
    },

    /** Open tickets pinned to the policy, in id order after `afterTicketId`. */
    async openTicketsOfPolicyPage(q: { policyId: string; afterTicketId?: string; limit: number }): Promise<string[]> {
      const rows = await deps.db
        .select({ id: tickets.id })
        .from(tickets)
        .where(
          and(
            eq(tickets.policyId, q.policyId),
            ne(tickets.status, 'closed'),
            q.afterTicketId ? gt(tickets.id, q.afterTicketId) : undefined,
          ),
        )
        .orderBy(asc(tickets.id))
        .limit(q.limit);
      return rows.map((r) => r.id);
    },
  };
}
