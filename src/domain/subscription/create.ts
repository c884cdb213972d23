import { annualDiscountBps, fullYearCharge, invoiceEffect, listPricePerYear } from './billing.js';
import type { Charge } from './billing.js';
import { refuse, rememberOperation, succeed } from './outcome.js';
import { findPlan, hardwareCatalog, planCatalog } from './plan-catalog.js';
import { DEFAULT_REMINDER_OFFSETS_DAYS, skipPastReminders } from './reminders.js';
import { withRunningStatus } from './timeline.js';
import type { HardwareCatalog, OperationOptions, OperationResult, PinnedCatalog, SubscriptionState } from './types.js';
import { initialWarranty } from './warranty.js';
import { addYears, localDate } from './zoned-time.js';
import { createInputProblems, type CreateSubscriptionInput } from './create-input.js';

export type { CreateSubscriptionInput } from './create-input.js';

export interface CreateOptions extends OperationOptions {
  hardwareCatalog?: HardwareCatalog;
  /** The catalog version the sale is priced on; the subscription keeps it for its first term. */
  pin?: PinnedCatalog;
}

/**
 * Starts the first one-year term. With `includedWithPurchase` the included plan's first year is
 * free (a zero-amount line, so the invoice trail still shows it) and a higher tier bought at
 * purchase pays only the difference (002: upgrades "can optionally be added at time of purchase").
 */
export function createSubscription(raw: CreateSubscriptionInput, now: number, options?: CreateOptions): OperationResult {
  const problems = createInputProblems(raw);
  if (problems.length) return refuse('invalid_input', problems.join('; '));
  const input = raw;
  const catalog = options?.pin?.plans ?? options?.catalog ?? planCatalog;
  const plan = findPlan(catalog, input.planId);
  if (!plan) return refuse('unknown_plan', `plan ${input.planId} does not exist`);
  const billingCycle = input.billingCycle ?? plan.billingCycles[0] ?? 'annual';
  if (!plan.billingCycles.includes(billingCycle)) {
    return refuse('invalid_input', `${plan.name} cannot be billed ${billingCycle}`);
  }
  if (plan.pricing.kind === 'per-seat' && input.seats === undefined) {
    return refuse('invalid_input', `${plan.name} is priced per user: seats is required`);
  }
  if (plan.pricing.kind === 'flat' && input.seats !== undefined && input.seats !== 1) {
    return refuse('seats_not_applicable', `${plan.name} is not priced per user`);
  }
  const included = input.includedWithPurchase ? findPlan(catalog, plan.includedWithPurchasePlanId ?? '') : undefined;
  if (input.includedWithPurchase && !included) {
    return refuse('invalid_input', `${plan.name} is not included with a system purchase`);
  }
  const warranty = input.hardware ? initialWarranty(input.hardware, input.timeZone, options?.hardwareCatalog ?? hardwareCatalog) : null;
  if (warranty && !warranty.ok) return warranty;

  const start = input.startAt ?? now;
  const end = addYears(start, 1, input.timeZone);
  const seats = input.seats ?? 1;
  const base: SubscriptionState = {
    schemaVersion: 1,
    id: input.id,
    customerId: input.customerId,
    planId: plan.id,
    tier: plan.tier,
    timeZone: input.timeZone,
    currency: plan.currency,
    status: 'active',
    originalStart: start,
    termStart: start,
    termEnd: end,
    seats,
    billingCycle,
    autoRenew: input.autoRenew ?? false,
    cancelAtTermEnd: false,
    reminderOffsetsDays: [...(input.reminderOffsetsDays ?? DEFAULT_REMINDER_OFFSETS_DAYS)],
    reminderKeysDone: [],
    lapsedAt: null,
    purgeAt: null,
    purgedAt: null,
    incidents: [],
    warranty: warranty ? warranty.warranty : null,
    tierHistory: [{ effectiveFrom: start, planId: plan.id, tier: plan.tier }],
    termHistory: [{ kind: 'initial', start, end, coveredFrom: start, yearsBilled: 1, recordedAt: now }],
    processedOperationIds: [],
    ...(options?.pin ? { pinned: { version: options.pin.version, plans: options.pin.plans } } : {}),
  };
  const state = rememberOperation(skipPastReminders(withRunningStatus(base, now), now), options?.operationId);

  const period = `${localDate(start, input.timeZone)} to ${localDate(end, input.timeZone)}`;
  const charges: Charge[] = [];
  let payable = listPricePerYear(plan, seats);
  if (included) {
    charges.push({
      line: {
        kind: 'included-with-purchase',
        description: `${included.name} ${period}, included with system purchase`,
        amountMinor: 0,
        periodStart: start,
        periodEnd: end,
      },
      instalments: [],
    });
    payable = Math.max(0, payable - listPricePerYear(included, seats));
  }
  if (!included || included.id !== plan.id) {
    const description = included ? `Upgrade to ${plan.name} ${period}` : `${plan.name} ${period}`;
    charges.push(
      fullYearCharge(
        state,
        {
          kind: 'subscription',
          description,
          listPerYearMinor: payable,
          ...(plan.pricing.kind === 'per-seat' ? { quantity: seats } : {}),
        },
        annualDiscountBps(plan, billingCycle),
        0,
        now,
      ),
    );
  }
  return succeed(state, [
    invoiceEffect(state, `initial:${start}`, charges),
    {
      type: 'email',
      template: 'subscription-created',
      emailKey: `${state.id}:created`,
      data: { planName: plan.name, termStart: localDate(start, input.timeZone), termEnd: localDate(end, input.timeZone) },
    },
  ]);
}
