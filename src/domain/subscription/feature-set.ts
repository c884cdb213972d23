import { findPlan, planCatalog } from './plan-catalog.js';
import { isRunning, tierChangeAt } from './timeline.js';
import { licensesOf } from './third-party-licenses.js';
import type { PlanCatalog, PlanDefinition, SubscriptionState } from './types.js';

export interface FeatureGrant {
  subscriptionId: string;
  planId: string;
  /** Start of the uninterrupted coverage that grants it (a reinstatement starts a new one). */
  since: number;
  /** Paid-through end; the feature stops there unless renewed. */
  until: number;
}

export interface CustomerFeature {
  feature: string;
  enabled: boolean;
  /** When it came on (earliest grant) or went off (the latest lapse); null for one never on yet. */
  since: number | null;
  grantedBy: FeatureGrant[];
  /** For a feature off: the subscription that granted it last. */
  lastGrantedBy: string | null;
}

function coveredSince(state: SubscriptionState, now: number): number | undefined {
  const current = state.termHistory.find((r) => r.coveredFrom <= now && now < r.end);
  if (!current) return undefined;
  let since = current.coveredFrom;
  // Renewals continue the coverage they follow; a reinstatement's gap (coveredFrom after start) breaks it.
  for (let i = 0; i < state.termHistory.length; i += 1) {
    const before = state.termHistory.find((r) => r.end === since && r.coveredFrom < since);
    if (!before) break;
    since = before.coveredFrom;
  }
  return since;
}

/**
 * 004: "If subscriptions lapse … Users will not be able to use the desktop softphone App … Remote portal
 * access … will not function …": the plan's `subscriptionFeatures` are on exactly while a running
 * subscription covers `now` and off once it lapsed, was cancelled or purged. Answered from the term
 * history at `now`, so the expiry instant itself already reads off, before the workflow's timer lands.
 * A feature several subscriptions grant stays on while any of them does.
 */
export function featureSet(states: readonly SubscriptionState[], now: number, catalog: PlanCatalog = planCatalog): CustomerFeature[] {
  return grants(states, now, catalog, (plan) => plan.subscriptionFeatures);
}

/** A third-party license the customer's plans include (004), on and off with its subscription like a feature. */
export interface CustomerLicense extends CustomerFeature {
  name: string;
}

/**
 * 004: "Certain Support Subscriptions may include third-party licenses or services that will be deactivated
 * and canceled if the Support Subscription is deactivated or canceled": the same rule as the features,
 * keyed by license id.
 */
export function licenseSet(states: readonly SubscriptionState[], now: number, catalog: PlanCatalog = planCatalog): CustomerLicense[] {
  const names = new Map<string, string>();
  const found = grants(states, now, catalog, (plan) =>
    licensesOf(plan).map((l) => {
      names.set(l.id, l.name);
      return l.id;
    }),
  );
  return found.map((f) => ({ ...f, name: names.get(f.feature) ?? f.feature }));
}

function grants(
  states: readonly SubscriptionState[],
  now: number,
  catalog: PlanCatalog,
  itemsOf: (plan: PlanDefinition) => readonly string[],
): CustomerFeature[] {
  const byFeature = new Map<string, CustomerFeature>();
  const entry = (feature: string) => {
    let f = byFeature.get(feature);
    if (!f) {
      f = { feature, enabled: false, since: null, grantedBy: [], lastGrantedBy: null };
      byFeature.set(feature, f);
    }
    return f;
  };
  for (const state of states) {
    const since = isRunning(state) ? coveredSince(state, now) : undefined;
    const planId = tierChangeAt(state, Math.min(now, state.termEnd - 1))?.planId ?? state.planId;
    // The plans a subscription was sold on, when it carries them, say what it switches on.
    const plan = findPlan(state.pinned?.plans ?? catalog, planId);
    if (!plan) continue;
    for (const feature of itemsOf(plan)) {
      const f = entry(feature);
      if (since !== undefined) {
        f.grantedBy.push({ subscriptionId: state.id, planId, since, until: state.termEnd });
        continue;
      }
      const off = state.lapsedAt ?? (now >= state.termEnd ? state.termEnd : null);
      if (off !== null && (f.since === null || off >= f.since)) {
        f.since = off;
        f.lastGrantedBy = state.id;
      }
    }
  }
  for (const f of byFeature.values()) {
    if (f.grantedBy.length === 0) continue;
    f.enabled = true;
    f.since = Math.min(...f.grantedBy.map((g) => g.since));
    f.lastGrantedBy = null;
  }
  return [...byFeature.values()].sort((a, b) => (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
}
