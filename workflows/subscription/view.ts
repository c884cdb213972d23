import { licenseStatus, nextTimers, reminderSchedule, type SubscriptionState } from '../../src/domain/subscription';
import type { SubscriptionView } from './contract';

/** The one shape the query, the update results and the API share; pure so the API can build it from a row. */
export function subscriptionView(state: SubscriptionState, now: number): SubscriptionView {
  return {
    id: state.id,
    customerId: state.customerId,
    planId: state.planId,
    tier: state.tier,
    status: state.status,
    timeZone: state.timeZone,
    termStart: state.termStart,
    termEnd: state.termEnd,
    seats: state.seats,
    billingCycle: state.billingCycle,
    autoRenew: state.autoRenew,
    cancelAtTermEnd: state.cancelAtTermEnd,
    reminders: reminderSchedule(state).map((r) => ({ offsetDays: r.offsetDays, at: r.at })),
    nextTimers: nextTimers(state, now).map((t) => ({ kind: t.kind, at: t.at, summary: t.summary })),
    warrantyEnd: state.warranty?.end ?? null,
    lapsedAt: state.lapsedAt,
    purgeAt: state.purgeAt,
    purgedAt: state.purgedAt,
    thirdPartyLicenses: licenseStatus(state, now),
    state,
  };
}
