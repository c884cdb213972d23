import type { Db } from '../db/client';
import { featureSet, type SubscriptionState } from '../domain/subscription';
import { humanInstant } from '../domain/subscription/zoned-time';
import { customerSubscriptionStates } from './billing-store';

/** Whether a subscription switches one feature on for a customer at an instant, and if not, why not. */
export type FeatureGrant =
  | { active: true; subscriptionId: string; since: number; until: number }
  | { active: false; code: 'feature_not_active'; detail: string; lastSubscriptionId: string | null };

/**
 * 004: "Subscriptions must be renewed to continue to receive … subscription-based features and services",
 * and a lapse terminates them "on the expiration date": the same answer `GET /v1/customers/:id/features`
 * gives, for one feature. Of several grants, the one paid furthest ahead.
 */
export function grantOf(
  states: readonly SubscriptionState[],
  feature: string,
  what: string,
  customer: { id: string; timeZone: string },
  now: number,
): FeatureGrant {
  const f = featureSet(states, now).find((x) => x.feature === feature);
  const grant = f?.grantedBy.reduce<(typeof f.grantedBy)[number] | undefined>((a, g) => (a && a.until >= g.until ? a : g), undefined);
  if (f?.enabled && grant) return { active: true, subscriptionId: grant.subscriptionId, since: grant.since, until: grant.until };
  const detail =
    f?.lastGrantedBy && f.since !== null
      ? `Customer ${customer.id}'s subscription ${f.lastGrantedBy}, which included ${what}, ended on ${humanInstant(f.since, customer.timeZone)}; reinstating it turns them back on.`
      : `Customer ${customer.id} holds no active subscription that includes ${what}.`;
  return { active: false, code: 'feature_not_active', detail, lastSubscriptionId: f?.lastGrantedBy ?? null };
}

export async function customerGrant(
  db: Db,
  customer: { id: string; timeZone: string },
  feature: string,
  what: string,
  now: number,
): Promise<FeatureGrant> {
  return grantOf(await customerSubscriptionStates(db, customer.id), feature, what, customer, now);
}
