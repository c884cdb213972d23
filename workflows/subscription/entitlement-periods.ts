import { findPlan, plansFor, tierChangeAt, type SubscriptionState } from '../../src/domain/subscription';

export interface EntitlementPeriod {
  validFrom: number;
  validTo: number;
  tier: string;
  planId: string;
  calendarId: string;
  responseTargetMs: number;
  phoneIncidentCap: number | null;
}

/**
 * Covered stretches at one tier, for readers that cannot ask the workflow (reports, the ticket list).
 * Built from coveredFrom rather than start, so a reinstatement's backfilled gap is never listed.
 */
export function entitlementPeriods(state: SubscriptionState): EntitlementPeriod[] {
  const periods: EntitlementPeriod[] = [];
  for (const record of state.termHistory) {
    if (record.coveredFrom >= record.end) continue;
    const cuts = state.tierHistory.map((c) => c.effectiveFrom).filter((t) => t > record.coveredFrom && t < record.end);
    const edges = [record.coveredFrom, ...new Set(cuts), record.end].sort((a, b) => a - b);
    for (let i = 0; i + 1 < edges.length; i += 1) {
      const from = edges[i] as number;
      const plan = findPlan(plansFor(state), tierChangeAt(state, from)?.planId ?? state.planId);
      if (!plan) continue;
      periods.push({
        validFrom: from,
        validTo: edges[i + 1] as number,
        tier: plan.tier,
        planId: plan.id,
        calendarId: plan.calendarId,
        responseTargetMs: plan.responseTargetMs,
        phoneIncidentCap: plan.incidentCapsPerYear.phone ?? null,
      });
    }
  }
  return periods;
}
