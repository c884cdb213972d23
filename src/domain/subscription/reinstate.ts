import { annualDiscountBps, fullYearCharge, invoiceEffect, listPricePerYear, oneOffCharge } from './billing.js';
import type { Charge } from './billing.js';
import { applyBps } from './money.js';
import { once, refuse, succeed } from './outcome.js';
import { findPlan, plansFor, repin, requirePlan } from './plan-catalog.js';
import { skipPastReminders } from './reminders.js';
import { licenseNames, licensesOf, reactivatedLicenses, reactivationCharges } from './third-party-licenses.js';
import { anniversary, isRunning, subscriptionYearAt, withRunningStatus } from './timeline.js';
import type { Effect, OperationOptions, OperationResult, SubscriptionState } from './types.js';
import { localDate, yearIndexAt } from './zoned-time.js';

/**
 * Renews a lapsed, cancelled or purged subscription.
 *
 * 004: "Renewals backfill to the original date of expiration." The new term therefore starts at
 * the old expiry, not at `now`, and every subscription year missed since then is billed as well:
 * reinstating 14 months late charges two years and the new expiry is the first anniversary of the
 * old expiry that lies after `now`. Refusing late reinstatements would reward letting a contract
 * lapse for longer; backfilling every missed year keeps the anniversary and makes lapsing never
 * cheaper than renewing. On top come the plan's flat reinstatement fee (004) and its percentage
 * surcharge on the backfilled renewals (002).
 *
 * The backfilled stretch is paid for but was not covered while it happened: the term record's
 * coveredFrom is `now`, so tickets opened between expiry and reinstatement stay unentitled.
 */
export function reinstate(state: SubscriptionState, now: number, options?: OperationOptions): OperationResult {
  return once(state, options, () => {
    if (isRunning(state)) {
      return refuse('not_lapsed', `subscription is ${state.status} until ${localDate(state.termEnd, state.timeZone)}; renew it instead`);
    }
    // Reinstating is buying again: priced on the catalog current now when the caller brings it.
    const fresh = options?.renewalCatalog;
    const priced = fresh ? repin(state, fresh) : state;
    const plan = requirePlan(plansFor(priced, options), state.planId);
    // What the lapse switched off is read from the plans the lapsed term was sold on, before the re-pin.
    const licenses = reactivatedLicenses(findPlan(plansFor(state, options), state.planId), plan);
    const zone = state.timeZone;
    const oldEnd = state.termEnd;
    const firstMissed = yearIndexAt(state.originalStart, oldEnd, zone);
    const endIndex = subscriptionYearAt(state, now).index + 1;
    const newEnd = anniversary(state, endIndex);
    const yearsBilled = endIndex - firstMissed;

    const renewals: Charge[] = [];
    for (let k = firstMissed; k < endIndex; k += 1) {
      const start = anniversary(state, k);
      const end = anniversary(state, k + 1);
      renewals.push(
        fullYearCharge(
          state,
          {
            kind: 'subscription',
            description: `${plan.name} ${localDate(start, zone)} to ${localDate(end, zone)} (backfilled)`,
            listPerYearMinor: listPricePerYear(plan, state.seats),
            ...(plan.pricing.kind === 'per-seat' ? { quantity: state.seats } : {}),
          },
          annualDiscountBps(plan, state.billingCycle),
          k,
          now,
        ),
      );
    }
    const charges: Charge[] = [];
    if (plan.reinstatement.feeMinor > 0) {
      charges.push(oneOffCharge('reinstatement-fee', 'Support reinstatement fee', plan.reinstatement.feeMinor, now));
    }
    // 004: "Third-party licenses or services may require a Reinstatement Fee … to reactivate", on top of ours.
    charges.push(...reactivationCharges(licenses, now));
    charges.push(...renewals);
    const renewalTotal = renewals.reduce((sum, c) => sum + c.line.amountMinor, 0);
    const surcharge = applyBps(renewalTotal, plan.reinstatement.surchargeBps);
    if (surcharge > 0) {
      charges.push(oneOffCharge('reinstatement-surcharge', 'Surcharge for renewing an expired contract', surcharge, now));
    }

    const next = skipPastReminders(
      withRunningStatus(
        {
          ...priced,
          termStart: anniversary(state, endIndex - 1),
          termEnd: newEnd,
          cancelAtTermEnd: false,
          lapsedAt: null,
          purgeAt: null,
          termHistory: [
            ...state.termHistory,
            { kind: 'reinstatement', start: oldEnd, end: newEnd, coveredFrom: now, yearsBilled, recordedAt: now },
          ],
        },
        now,
      ),
      now,
    );
    const effects: Effect[] = [
      invoiceEffect(next, `reinstatement:${now}`, charges),
      {
        type: 'features-on',
        features: [...plan.subscriptionFeatures],
        ...(licensesOf(plan).length ? { licenses: licensesOf(plan).map((l) => l.id) } : {}),
      },
    ];
    if (state.status !== 'purged') effects.push({ type: 'cancel-purge' });
    effects.push({
      type: 'email',
      template: 'subscription-reinstated',
      emailKey: `${state.id}:reinstated:${now}`,
      data: {
        backfilledFrom: localDate(oldEnd, zone),
        termEnd: localDate(newEnd, zone),
        yearsBilled,
        backupsPurged: state.status === 'purged' ? 'yes' : 'no',
        ...(licenses.length ? { licenses: licenseNames(licenses) } : {}),
      },
    });
    return succeed(next, effects);
  });
}
