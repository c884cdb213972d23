import { plansFor } from './plan-catalog.js';
import { planAt, subscriptionYearAt } from './timeline.js';
import type { Channel, PlanCatalog, RefusalCode, SubscriptionState, TermRecord } from './types.js';
import { humanInstant, localDate } from './zoned-time.js';

export type Entitlement =
  | {
      covered: true;
      tier: string;
      planId: string;
      calendarId: string;
      responseTargetMs: number;
      /** End of the uninterrupted coverage that contains the instant. */
      termEnd: number;
      /** Incidents left on this channel in the subscription year; null when the channel is uncapped. */
      incidentsRemaining: number | null;
    }
  | { covered: false; code: RefusalCode; reason: string };

/**
 * Is a ticket opened at `t` on `channel` entitled to support, and at which tier?
 *
 * 002: support is active only if the ticket is opened "prior to the expiration date", so coverage
 * is the half-open interval [coveredFrom, end): one millisecond before expiry is covered, the
 * expiry instant itself is not. The tier is the one in force at `t` (an upgrade at U counts for
 * t >= U). Reinstatement gaps are not covered even though they were billed (see TermRecord).
 * Answers depend only on history, never on `status`, so past tickets can be re-checked at any time.
 */
export function entitlementAt(state: SubscriptionState, t: number, channel: Channel, catalog: PlanCatalog = plansFor(state)): Entitlement {
  const zone = state.timeZone;
  const record = state.termHistory.find((r) => r.coveredFrom <= t && t < r.end);
  if (!record) {
    if (t < state.originalStart) {
      return { covered: false, code: 'not_started', reason: `support starts on ${humanInstant(state.originalStart, zone)}` };
    }
    const gap = state.termHistory.find((r) => r.start <= t && t < r.coveredFrom);
    if (gap) {
      return {
        covered: false,
        code: 'lapse_gap',
        reason: `no support contract was active on ${localDate(t, zone)}: it expired on ${localDate(gap.start, zone)} and was reinstated on ${localDate(gap.coveredFrom, zone)}; tickets opened in between are not covered`,
      };
    }
    const ended = endOfCoverage(state.termHistory, t);
    return {
      covered: false,
      code: 'expired',
      reason: `support expired on ${humanInstant(ended, zone)}; only tickets opened before expiry are covered`,
    };
  }
  const plan = planAt(state, t, catalog);
  if (!plan.channels.includes(channel)) {
    return { covered: false, code: 'channel_not_included', reason: `${plan.name} does not include ${channel} support` };
  }
  const cap = plan.incidentCapsPerYear[channel];
  return {
    covered: true,
    tier: plan.tier,
    planId: plan.id,
    calendarId: plan.calendarId,
    responseTargetMs: plan.responseTargetMs,
    termEnd: contiguousEnd(state.termHistory, record),
    incidentsRemaining: cap === undefined ? null : Math.max(0, cap - incidentsUsed(state, channel, t)),
  };
}

/** Incidents counted on `channel` in the subscription year (anniversary to anniversary) containing t. */
export function incidentsUsed(state: SubscriptionState, channel: Channel, t: number): number {
  const yearStart = subscriptionYearAt(state, t).start;
  return state.incidents.find((c) => c.yearStart === yearStart && c.channel === channel)?.count ?? 0;
}

function contiguousEnd(history: TermRecord[], from: TermRecord): number {
  let end = from.end;
  for (let next = history.find((r) => r.coveredFrom === end); next; next = history.find((r) => r.coveredFrom === end)) {
    end = next.end;
  }
  return end;
}

function endOfCoverage(history: TermRecord[], t: number): number {
  return history.filter((r) => r.end <= t).reduce((latest, r) => Math.max(latest, r.end), 0);
}
