import { annualDiscountBps, chargeThroughTermEnd, invoiceEffect } from './billing.js';
import { once, refuse, refuseBeforeStart, succeed } from './outcome.js';
import { plansFor } from './plan-catalog.js';
import { isRunning, planAt } from './timeline.js';
import type { OperationOptions, OperationResult, SubscriptionState } from './types.js';
import { localDate } from './zoned-time.js';

/**
 * 004: "Addition of new users will be prorated." Billing follows the subscription's cycle (see
 * billing.ts): annual billing pays the discounted remainder of the year at once, monthly billing
 * pays the rest of the current month now and one full instalment per remaining month.
 */
export function addSeats(state: SubscriptionState, n: number, now: number, options?: OperationOptions): OperationResult {
  return once(state, options, () => {
    if (!Number.isInteger(n) || n < 1) return refuse('invalid_input', `seats to add must be a positive integer, got ${n}`);
    if (!isRunning(state) || now >= state.termEnd) {
      return refuse('not_active', `users cannot be added to a subscription that expired on ${localDate(state.termEnd, state.timeZone)}`);
    }
    const early = refuseBeforeStart(state, now);
    if (early) return early;
    const plan = planAt(state, now, plansFor(state, options));
    if (plan.pricing.kind !== 'per-seat') {
      return refuse('seats_not_applicable', `${plan.name} is not priced per user`);
    }
    const charges = chargeThroughTermEnd(
      state,
      {
        kind: 'seat-proration',
        description: `${n} additional user${n === 1 ? '' : 's'}`,
        listPerYearMinor: plan.pricing.pricePerSeatPerYearMinor * n,
        quantity: n,
      },
      annualDiscountBps(plan, state.billingCycle),
      now,
    );
    const next: SubscriptionState = { ...state, seats: state.seats + n };
    return succeed(next, [
      invoiceEffect(next, `seats:${now}`, charges),
      {
        type: 'email',
        template: 'seats-added',
        emailKey: `${state.id}:seats:${now}`,
        data: { added: n, seats: next.seats },
      },
    ]);
  });
}
