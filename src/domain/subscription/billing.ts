import { discountedFraction, roundHalfUp, splitEvenly } from './money.js';
import { anniversary, subscriptionYearAt } from './timeline.js';
import type { BillingCycle, Effect, Instalment, InvoiceLine, InvoiceLineKind, PlanDefinition, SubscriptionState } from './types.js';
import { addMonths, localDaysBetween, monthIndexAt } from './zoned-time.js';

/**
 * Billing rules, shared by every operation that charges:
 * - Annual billing: one instalment due at once, discounted by the plan's annual-billing discount.
 * - Monthly billing: the undiscounted annual commitment split into 12 instalments (splitEvenly),
 *   each due at the start of its month of the subscription year; instalments already due are due now.
 * - Proration counts local calendar days in the subscription's zone from the day of the change to
 *   the anniversary date (the change day is charged, the anniversary day belongs to the next year),
 *   and rounds once per line, half up to the minor unit.
 */

export interface Charge {
  line: InvoiceLine;
  instalments: Instalment[];
}

export interface ChargeSpec {
  kind: InvoiceLineKind;
  description: string;
  /** Undiscounted list price for one full subscription year of what is being charged. */
  listPerYearMinor: number;
  quantity?: number;
}

export function listPricePerYear(plan: PlanDefinition, seats: number): number {
  return plan.pricing.kind === 'flat' ? plan.pricing.annualPriceMinor : plan.pricing.pricePerSeatPerYearMinor * seats;
}

export function annualDiscountBps(plan: PlanDefinition, cycle: BillingCycle): number {
  return cycle === 'annual' && plan.pricing.kind === 'per-seat' ? plan.pricing.annualBillingDiscountBps : 0;
}

function monthStart(yearStart: number, i: number, yearEnd: number, zone: string): number {
  // The twelfth month ends at the anniversary itself, which may differ from start + 12 months by a
  // day when a 29 February anchor is clamped.
  return i >= 12 ? yearEnd : addMonths(yearStart, i, zone);
}

/** The whole subscription year `yearIndex`. */
export function fullYearCharge(state: SubscriptionState, spec: ChargeSpec, discountBps: number, yearIndex: number, now: number): Charge {
  const start = anniversary(state, yearIndex);
  const end = anniversary(state, yearIndex + 1);
  if (state.billingCycle === 'annual') {
    const amount = discountedFraction(spec.listPerYearMinor, discountBps, 1, 1);
    return { line: line(spec, amount, start, end), instalments: [{ dueAt: now, amountMinor: amount }] };
  }
  const instalments = splitEvenly(spec.listPerYearMinor, 12).map((amountMinor, i) => ({
    dueAt: Math.max(now, monthStart(start, i, end, state.timeZone)),
    amountMinor,
  }));
  return { line: line(spec, spec.listPerYearMinor, start, end), instalments };
}

/** From `now` to the end of the subscription year containing it. */
export function remainderOfYearCharge(state: SubscriptionState, spec: ChargeSpec, discountBps: number, now: number): Charge {
  const zone = state.timeZone;
  const year = subscriptionYearAt(state, now);
  if (state.billingCycle === 'annual') {
    const amount = discountedFraction(
      spec.listPerYearMinor,
      discountBps,
      localDaysBetween(now, year.end, zone),
      localDaysBetween(year.start, year.end, zone),
    );
    return { line: line(spec, amount, now, year.end), instalments: [{ dueAt: now, amountMinor: amount }] };
  }
  const months = splitEvenly(spec.listPerYearMinor, 12);
  const current = monthIndexAt(year.start, now, zone);
  const instalments: Instalment[] = [];
  months.forEach((monthly, i) => {
    if (i < current) return;
    const start = monthStart(year.start, i, year.end, zone);
    if (i > current) {
      instalments.push({ dueAt: start, amountMinor: monthly });
      return;
    }
    const end = monthStart(year.start, i + 1, year.end, zone);
    const partial = roundHalfUp(BigInt(monthly) * BigInt(localDaysBetween(now, end, zone)), BigInt(localDaysBetween(start, end, zone)));
    instalments.push({ dueAt: now, amountMinor: partial });
  });
  const total = instalments.reduce((sum, x) => sum + x.amountMinor, 0);
  return { line: line(spec, total, now, year.end), instalments };
}

/**
 * From `now` to the paid-through end: the rest of the current year plus any whole year already
 * renewed ahead, so seats or a tier added after an early renewal are paid for that year too.
 */
export function chargeThroughTermEnd(state: SubscriptionState, spec: ChargeSpec, discountBps: number, now: number): Charge[] {
  const charges = [remainderOfYearCharge(state, spec, discountBps, now)];
  for (let k = subscriptionYearAt(state, now).index + 1; anniversary(state, k) < state.termEnd; k += 1) {
    charges.push(fullYearCharge(state, spec, discountBps, k, now));
  }
  return charges;
}

function line(spec: ChargeSpec, amountMinor: number, periodStart: number, periodEnd: number): InvoiceLine {
  return {
    kind: spec.kind,
    description: spec.description,
    amountMinor,
    periodStart,
    periodEnd,
    ...(spec.quantity === undefined ? {} : { quantity: spec.quantity }),
  };
}

export function oneOffCharge(kind: InvoiceLineKind, description: string, amountMinor: number, now: number): Charge {
  return { line: { kind, description, amountMinor }, instalments: [{ dueAt: now, amountMinor }] };
}

export function invoiceEffect(state: SubscriptionState, invoiceKey: string, charges: Charge[]): Effect {
  const byDue = new Map<number, number>();
  for (const { instalments } of charges) {
    for (const { dueAt, amountMinor } of instalments) byDue.set(dueAt, (byDue.get(dueAt) ?? 0) + amountMinor);
  }
  const instalments = [...byDue.entries()]
    .filter(([, amountMinor]) => amountMinor > 0)
    .sort(([a], [b]) => a - b)
    .map(([dueAt, amountMinor]) => ({ dueAt, amountMinor }));
  const lines = charges.map((c) => c.line);
  return {
    type: 'invoice',
    invoiceKey: `${state.id}:${invoiceKey}`,
    currency: state.currency,
    lines,
    totalMinor: lines.reduce((sum, l) => sum + l.amountMinor, 0),
    instalments,
  };
}
