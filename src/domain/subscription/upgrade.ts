import { annualDiscountBps, chargeThroughTermEnd, invoiceEffect, listPricePerYear } from './billing.js';
import { once, refuse, refuseBeforeStart, succeed } from './outcome.js';
import { findPlanByTier, plansFor } from './plan-catalog.js';
import { isRunning, planAt } from './timeline.js';
import type { OperationOptions, OperationResult, SubscriptionState } from './types.js';
import { localDate } from './zoned-time.js';

/**
 * Mid-term upgrade (002: Premium / Premium Plus can be added). It applies to tickets opened at or
 * after `now` (tickets already open keep the tier they were opened under) and the price difference
 * is prorated to the paid-through end. Downgrades are refused mid-term because support is prepaid
 * and non-refundable (004); a lower tier can be chosen when renewing and starts with the new term.
 */
export function upgradeTier(state: SubscriptionState, newTier: string, now: number, options?: OperationOptions): OperationResult {
  return once(state, options, () => {
    const catalog = plansFor(state, options);
    if (!isRunning(state) || now >= state.termEnd) {
      return refuse('not_active', `subscription is not active (expired ${localDate(state.termEnd, state.timeZone)})`);
    }
    const early = refuseBeforeStart(state, now);
    if (early) return early;
    const scheduled = state.tierHistory.find((c) => c.effectiveFrom > now);
    if (scheduled) {
      return refuse(
        'tier_change_scheduled',
        `a change to ${scheduled.tier} is already scheduled for ${localDate(scheduled.effectiveFrom, state.timeZone)}`,
      );
    }
    const current = planAt(state, now, catalog);
    const target = findPlanByTier(catalog, current.family, newTier);
    if (!target) return refuse('unknown_tier', `tier "${newTier}" does not exist for ${current.name}`);
    if (target.id === current.id) return refuse('same_tier', `subscription is already on ${current.name}`);
    if (target.rank < current.rank) {
      return refuse(
        'downgrade_mid_term',
        `downgrading from ${current.name} to ${target.name} takes effect at renewal on ${localDate(state.termEnd, state.timeZone)}`,
      );
    }
    const difference = Math.max(0, listPricePerYear(target, state.seats) - listPricePerYear(current, state.seats));
    const charges = chargeThroughTermEnd(
      state,
      {
        kind: 'upgrade-proration',
        description: `Upgrade from ${current.name} to ${target.name}`,
        listPerYearMinor: difference,
      },
      annualDiscountBps(target, state.billingCycle),
      now,
    );
    const next: SubscriptionState = {
      ...state,
      planId: target.id,
      tier: target.tier,
      tierHistory: [...state.tierHistory, { effectiveFrom: now, planId: target.id, tier: target.tier }],
    };
    return succeed(next, [
      invoiceEffect(next, `upgrade:${now}`, charges),
      {
        type: 'email',
        template: 'tier-upgraded',
        emailKey: `${state.id}:upgraded:${now}`,
        data: { from: current.name, to: target.name, effectiveFrom: localDate(now, state.timeZone) },
      },
    ]);
  });
}
