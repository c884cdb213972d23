import { and, eq, lt, notInArray, or, isNull } from 'drizzle-orm';
import { findPlan, planCatalog, plansFor, type Instalment, type InvoiceLine, type SubscriptionState } from '../src/domain/subscription';
import type { Db } from '../src/db/client';
import { charges, entitlements, invoices, subscriptionEvents, subscriptions } from '../src/db/schema';
import type { EntitlementPeriod } from '../workflows/subscription/entitlement-periods';

export interface InvoiceRecord {
  subscriptionId: string;
  customerId: string;
  invoiceKey: string;
  currency: string;
  totalMinor: number;
  lines: InvoiceLine[];
  instalments: Instalment[];
  at: number;
}

export interface SubscriptionEventRecord {
  subscriptionId: string;
  /** Unique per subscription: recording the same event twice is one row. */
  eventKey: string;
  kind: string;
  at: number;
  data?: Record<string, unknown>;
}

/**
 * The ticket policy a period grants, read by every ticket opening: its plan's in the catalog version the
 * subscription pinned, else the built-in plan's (subscriptions sold before catalogs were versioned).
 */
function grantedPolicy(state: SubscriptionState, planId: string): string | null {
  return findPlan(plansFor(state), planId)?.policyId ?? findPlan(planCatalog, planId)?.policyId ?? null;
}

export interface SubscriptionSnapshot {
  state: SubscriptionState;
  contactEmail: string;
  workflowId: string;
  /** Monotonic across runs: a delayed retry of an older snapshot never overwrites a newer one. */
  version: number;
  periods: EntitlementPeriod[];
  at: number;
}

const d = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

export function createSubscriptionActivities(deps: { db: Db }) {
  return {
    /** The invoice and one charge row per line, in one transaction, keyed by the domain's invoice key. */
    async recordInvoice(r: InvoiceRecord): Promise<void> {
      await deps.db.transaction(async (tx) => {
        await tx
          .insert(invoices)
          .values({
            key: r.invoiceKey,
            subscriptionId: r.subscriptionId,
            customerId: r.customerId,
            currency: r.currency,
            totalMinor: r.totalMinor,
            instalments: r.instalments.map((i) => ({ dueAt: new Date(i.dueAt).toISOString(), amountMinor: i.amountMinor })),
            issuedAt: new Date(r.at),
          })
          .onConflictDoNothing();
        if (r.lines.length === 0) return;
        await tx
          .insert(charges)
          .values(
            r.lines.map((line, i) => ({
              key: `${r.invoiceKey}#${i}`,
              invoiceKey: r.invoiceKey,
              subscriptionId: r.subscriptionId,
              customerId: r.customerId,
              kind: line.kind,
              amountMinor: line.amountMinor,
              currency: r.currency,
              description: line.description,
              periodStart: d(line.periodStart),
              periodEnd: d(line.periodEnd),
              quantity: line.quantity ?? null,
              at: new Date(r.at),
            })),
          )
          .onConflictDoNothing();
      });
    },

    async recordSubscriptionEvent(e: SubscriptionEventRecord): Promise<void> {
      await deps.db
        .insert(subscriptionEvents)
        .values({ subscriptionId: e.subscriptionId, eventKey: e.eventKey, kind: e.kind, at: new Date(e.at), data: e.data ?? {} })
        .onConflictDoNothing();
    },

    /** Subscription row plus its entitlement periods, replaced together only when this snapshot is newer. */
    async recordSubscription(s: SubscriptionSnapshot): Promise<void> {
      const st = s.state;
      const row = {
        id: st.id,
        customerId: st.customerId,
        planId: st.planId,
        tier: st.tier,
        status: st.status,
        termStart: new Date(st.termStart),
        termEnd: new Date(st.termEnd),
        seats: st.seats,
        billingCycle: st.billingCycle,
        contactEmail: s.contactEmail,
        state: st as unknown as Record<string, unknown>,
        updatedAt: new Date(s.at),
        version: s.version,
      };
      const { id: _id, ...update } = row;
      await deps.db.transaction(async (tx) => {
        const written = await tx
          .insert(subscriptions)
          .values(row)
          .onConflictDoUpdate({
            target: subscriptions.id,
            set: update,
            setWhere: or(lt(subscriptions.version, s.version), isNull(subscriptions.version)),
          })
          .returning({ id: subscriptions.id });
        if (written.length === 0) return;
        const starts = s.periods.map((p) => new Date(p.validFrom));
        await tx
          .delete(entitlements)
          .where(
            starts.length === 0
              ? eq(entitlements.subscriptionId, st.id)
              : and(eq(entitlements.subscriptionId, st.id), notInArray(entitlements.validFrom, starts)),
          );
        for (const p of s.periods) {
          const values = {
            customerId: st.customerId,
            subscriptionId: st.id,
            tier: p.tier,
            policyId: grantedPolicy(st, p.planId),
            planId: p.planId,
            calendarId: p.calendarId,
            responseTargetMs: p.responseTargetMs,
            validFrom: new Date(p.validFrom),
            validTo: new Date(p.validTo),
            phoneIncidentCap: p.phoneIncidentCap,
          };
          await tx
            .insert(entitlements)
            .values(values)
            .onConflictDoUpdate({ target: [entitlements.subscriptionId, entitlements.validFrom], set: values });
        }
      });
    },
  };
}

export type SubscriptionActivities = ReturnType<typeof createSubscriptionActivities>;
