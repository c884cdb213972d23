import { entitlementAt, incidentsUsed } from './entitlement.js';
import { once, refuse, succeed } from './outcome.js';
import { plansFor } from './plan-catalog.js';
import { planAt, subscriptionYearAt } from './timeline.js';
import type { Channel, OperationOptions, OperationResult, SubscriptionState } from './types.js';
import { localDate } from './zoned-time.js';

/**
 * Counts an incident when a ticket opens. 004: "Phone support may be limited to 5 incidents per
 * year"; the year is the subscription year (anniversary of the original start), not the calendar
 * year, so a customer who starts in March gets a fresh allowance every March. Only entitled tickets
 * are counted, so the ticket workflow gets one answer for both questions.
 */
export function recordIncident(state: SubscriptionState, channel: Channel, now: number, options?: OperationOptions): OperationResult {
  return once(state, options, () => {
    const catalog = plansFor(state, options);
    const entitlement = entitlementAt(state, now, channel, catalog);
    if (!entitlement.covered) return refuse(entitlement.code, entitlement.reason);
    const cap = planAt(state, now, catalog).incidentCapsPerYear[channel];
    const year = subscriptionYearAt(state, now);
    const used = incidentsUsed(state, channel, now);
    if (cap !== undefined && used >= cap) {
      return refuse(
        'incident_cap_reached',
        `${channel} support is limited to ${cap} incidents per subscription year; ${used} used since ${localDate(year.start, state.timeZone)}`,
      );
    }
    const others = state.incidents.filter((c) => !(c.yearStart === year.start && c.channel === channel));
    return succeed({ ...state, incidents: [...others, { yearStart: year.start, channel, count: used + 1 }] }, []);
  });
}

/**
 * Gives back the incident `recordIncident` counted for a ticket that never started (its workflow's start
 * failed after the claim): a customer keeps only the incidents of tickets that exist. The claim's
 * operation id is forgotten with it, so a later attempt for the same ticket counts again.
 */
export function releaseIncident(state: SubscriptionState, channel: Channel, at: number, operationId: string): SubscriptionState {
  const yearStart = subscriptionYearAt(state, at).start;
  const incidents = state.incidents.flatMap((c) =>
    c.yearStart !== yearStart || c.channel !== channel ? [c] : c.count > 1 ? [{ ...c, count: c.count - 1 }] : [],
  );
  return { ...state, incidents, processedOperationIds: state.processedOperationIds.filter((id) => id !== operationId) };
}
