import { annualDiscountBps, fullYearCharge, invoiceEffect, listPricePerYear } from './billing.js';
import { once, refuse, refuseBeforeStart, succeed } from './outcome.js';
import { findPlanByTier, plansFor, repin, requirePlan } from './plan-catalog.js';
import { skipPastReminders } from './reminders.js';
import { anniversary, isRunning, withRunningStatus } from './timeline.js';
import type { OperationOptions, OperationResult, PinnedCatalog, PlanDefinition, SubscriptionState, Success } from './types.js';
import { localDate, yearIndexAt } from './zoned-time.js';

export interface RenewOptions extends OperationOptions {
  /**
   * Tier for the next term. This is how a downgrade happens: mid-term downgrades are refused, a
   * different tier chosen at renewal takes effect at the start of the new term.
   */
  tier?: string;
}

/**
 * Renews before expiry. The new term starts at the current end date, not at `now`, so renewing
 * early never shortens the paid period. Only one term can be bought ahead: a second early renewal
 * is refused so that at most one future term (and one scheduled tier change) exists.
 */
export function renew(state: SubscriptionState, now: number, options?: RenewOptions): OperationResult {
  return once(state, options, () => {
    // A renewal is a new sale: priced on the catalog current now when the caller brings it.
    const catalog = options?.renewalCatalog?.plans ?? plansFor(state, options);
    if (!isRunning(state) || now >= state.termEnd) {
      return refuse(
        'expired_use_reinstate',
        `support expired on ${localDate(state.termEnd, state.timeZone)}; renewing an expired subscription is a reinstatement`,
      );
    }
    const early = refuseBeforeStart(state, now);
    if (early) return early;
    if (state.termStart > now) {
      return refuse(
        'already_renewed',
        `already renewed through ${localDate(state.termEnd, state.timeZone)}; the next renewal opens on ${localDate(state.termStart, state.timeZone)}`,
      );
    }
    const current = requirePlan({ ...plansFor(state, options), ...catalog }, state.planId);
    let plan = current;
    if (options?.tier !== undefined) {
      const target = findPlanByTier(catalog, current.family, options.tier);
      if (!target) return refuse('unknown_tier', `tier "${options.tier}" does not exist for ${current.name}`);
      plan = target;
    }
    return applyRenewal(state, now, plan, options?.renewalCatalog);
  });
}

/** Also used by advance() for automatic continuation at the expiry instant. */
export function applyRenewal(state: SubscriptionState, now: number, plan: PlanDefinition, next?: PinnedCatalog): Success {
  const k = yearIndexAt(state.originalStart, state.termEnd, state.timeZone);
  const start = anniversary(state, k);
  const end = anniversary(state, k + 1);
  const charge = fullYearCharge(
    state,
    {
      kind: 'subscription',
      description: `${plan.name} ${localDate(start, state.timeZone)} to ${localDate(end, state.timeZone)}`,
      listPerYearMinor: listPricePerYear(plan, state.seats),
      ...(plan.pricing.kind === 'per-seat' ? { quantity: state.seats } : {}),
    },
    annualDiscountBps(plan, state.billingCycle),
    k,
    now,
  );
  const tierChanged = plan.id !== state.planId;
  const renewed = skipPastReminders(
    withRunningStatus(
      {
        ...(next ? repin(state, next) : state),
        planId: plan.id,
        tier: plan.tier,
        termStart: start,
        termEnd: end,
        cancelAtTermEnd: false,
        tierHistory: tierChanged ? [...state.tierHistory, { effectiveFrom: start, planId: plan.id, tier: plan.tier }] : state.tierHistory,
        termHistory: [...state.termHistory, { kind: 'renewal', start, end, coveredFrom: start, yearsBilled: 1, recordedAt: now }],
      },
      now,
    ),
    now,
  );
  return succeed(renewed, [
    invoiceEffect(renewed, `renewal:${start}`, [charge]),
    {
      type: 'email',
      template: 'subscription-renewed',
      emailKey: `${state.id}:renewed:${start}`,
      data: { planName: plan.name, termStart: localDate(start, state.timeZone), termEnd: localDate(end, state.timeZone) },
    },
  ]);
}
