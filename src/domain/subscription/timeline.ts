import { requirePlan } from './plan-catalog.js';
import type { PlanCatalog, PlanDefinition, SubscriptionState, SubscriptionStatus, TierChange } from './types.js';
import { addDays, addYears, yearIndexAt } from './zoned-time.js';

/** k-th anniversary of the original start: every term boundary and subscription year edge. */
export function anniversary(state: SubscriptionState, k: number): number {
  return addYears(state.originalStart, k, state.timeZone);
}

export function subscriptionYearAt(state: SubscriptionState, t: number): { index: number; start: number; end: number } {
  const index = yearIndexAt(state.originalStart, t, state.timeZone);
  return { index, start: anniversary(state, index), end: anniversary(state, index + 1) };
}

export function tierChangeAt(state: SubscriptionState, t: number): TierChange | undefined {
  let current: TierChange | undefined;
  for (const change of state.tierHistory) {
    if (change.effectiveFrom <= t) current = change;
  }
  return current;
}

export function planAt(state: SubscriptionState, t: number, catalog: PlanCatalog): PlanDefinition {
  return requirePlan(catalog, tierChangeAt(state, t)?.planId ?? state.planId);
}

export function isRunning(state: SubscriptionState): boolean {
  return state.status === 'active' || state.status === 'expiring';
}

export function lastReminderOffsetDays(state: SubscriptionState): number {
  return state.reminderOffsetsDays.length === 0 ? 0 : Math.min(...state.reminderOffsetsDays);
}

/** Status of a running subscription at `now`; terminal statuses are changed only by operations. */
export function runningStatusAt(state: SubscriptionState, now: number): SubscriptionStatus {
  const expiringFrom = addDays(state.termEnd, -lastReminderOffsetDays(state), state.timeZone);
  return now >= expiringFrom ? 'expiring' : 'active';
}

export function withRunningStatus(state: SubscriptionState, now: number): SubscriptionState {
  return { ...state, status: runningStatusAt(state, now) };
}
