import { oneOffCharge, type Charge } from './billing.js';
import { findPlan, plansFor } from './plan-catalog.js';
import { isRunning, tierChangeAt } from './timeline.js';
import type { PlanDefinition, SubscriptionState, ThirdPartyLicense } from './types.js';

/**
 * 004: "Certain Support Subscriptions may include third-party licenses or services that will be
 * deactivated and canceled if the Support Subscription is deactivated or canceled. Third-party licenses
 * or services may require a Reinstatement Fee or similar termed penalty to reactivate licenses or
 * services". The licenses are plan data; whether one is on follows the subscription's coverage.
 */
export function licensesOf(plan: Pick<PlanDefinition, 'thirdPartyLicenses'> | undefined): ThirdPartyLicense[] {
  return plan?.thirdPartyLicenses ?? [];
}

/**
 * What a reinstatement reactivates, at the fee of the plan it is sold on now (reinstating is buying
 * again): the licenses the lapse deactivated that the plan still includes. A license the catalog added
 * since was never deactivated, so it comes on without a fee; one it withdrew is not reactivated.
 */
export function reactivatedLicenses(deactivated: PlanDefinition | undefined, reinstated: PlanDefinition): ThirdPartyLicense[] {
  const off = new Set(licensesOf(deactivated).map((l) => l.id));
  return licensesOf(reinstated).filter((l) => off.has(l.id));
}

/** One line per license with a fee ("Related third-party features or services may require additional reactivation fees"). */
export function reactivationCharges(licenses: readonly ThirdPartyLicense[], now: number): Charge[] {
  return licenses
    .filter((l) => l.reactivationFeeMinor > 0)
    .map((l) => oneOffCharge('license-reactivation-fee', `Third-party license reactivation fee: ${l.name}`, l.reactivationFeeMinor, now));
}

/** One name a line in an email's data: names are free text and may hold commas. */
export function licenseNames(licenses: ReadonlyArray<{ name: string }>): string {
  return licenses.map((l) => l.name).join('\n');
}

export interface LicenseStatus {
  id: string;
  name: string;
  active: boolean;
  /** When it went off (the lapse, or the expiry before the workflow recorded it); null while on. */
  deactivatedAt: number | null;
  /** At the catalog version the subscription is pinned to; a reinstatement is priced on the current one. */
  reactivationFeeMinor: number;
  currency: string;
}

/** The plan a subscription runs on at `now` (its last one once it ended), from the plans it was sold on. */
export function planInForce(state: SubscriptionState, now: number): PlanDefinition | undefined {
  const planId = tierChangeAt(state, Math.min(now, state.termEnd - 1))?.planId ?? state.planId;
  return findPlan(plansFor(state), planId);
}

/** On exactly while a running subscription covers `now`, as its features are (feature-set.ts). */
export function licenseStatus(state: SubscriptionState, now: number): LicenseStatus[] {
  const plan = planInForce(state, now);
  const covered = isRunning(state) && state.termHistory.some((r) => r.coveredFrom <= now && now < r.end);
  const offSince = state.lapsedAt ?? (now >= state.termEnd ? state.termEnd : null);
  return licensesOf(plan).map((l) => ({
    id: l.id,
    name: l.name,
    active: covered,
    deactivatedAt: covered ? null : offSince,
    reactivationFeeMinor: l.reactivationFeeMinor,
    currency: plan?.currency ?? state.currency,
  }));
}
