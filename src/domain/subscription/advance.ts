import { applyLapse, applyPurge } from './lapse.js';
import { plansFor, requirePlan } from './plan-catalog.js';
import { dueReminders } from './reminders.js';
import { applyRenewal } from './renew.js';
import { isRunning, withRunningStatus } from './timeline.js';
import type { Effect, OperationOptions, PlanCatalog, SubscriptionState, Success } from './types.js';
import { localDate } from './zoned-time.js';

/** An automatic renewal is priced on the catalog the workflow fetched for it, if any. */
function renewOn(state: SubscriptionState, now: number, pinned: PlanCatalog, options?: OperationOptions): Success {
  const next = options?.renewalCatalog;
  const plan =
    (next && Object.hasOwn(next.plans, state.planId) ? next.plans[state.planId] : undefined) ?? requirePlan(pinned, state.planId);
  return applyRenewal(state, now, plan, next);
}

/**
 * Applies every time-driven transition due by `now`: reminders, the expiry (automatic renewal or
 * lapse) and the backup purge. The workflow calls it whenever a timer from nextTimers() fires, and
 * before applying any customer operation so that, e.g., a renewal attempted after expiry meets a
 * lapsed subscription. Calling it again with the same `now` changes nothing.
 */
export function advance(state: SubscriptionState, now: number, options?: OperationOptions): Success {
  const catalog = plansFor(state, options);
  const effects: Effect[] = [];
  let current = state;
  // Bounded: a workflow that slept through years of automatic renewals catches up one year per pass.
  for (let pass = 0; pass < 100; pass += 1) {
    if (isRunning(current) && now >= current.termEnd) {
      const step = current.autoRenew && !current.cancelAtTermEnd ? renewOn(current, now, catalog, options) : applyLapse(current, catalog);
      current = step.state;
      effects.push(...step.effects);
      continue;
    }
    if ((current.status === 'lapsed' || current.status === 'cancelled') && current.purgeAt !== null && now >= current.purgeAt) {
      const step = applyPurge(current, now);
      current = step.state;
      effects.push(...step.effects);
      continue;
    }
    break;
  }
  if (isRunning(current)) {
    const due = dueReminders(current, now);
    // Only the most recent reminder is sent when several fell due while the workflow slept.
    const latest = due[due.length - 1];
    if (latest) {
      effects.push({
        type: 'email',
        template: 'renewal-reminder',
        emailKey: `${current.id}:reminder:${latest.key}`,
        data: {
          offsetDays: latest.offsetDays,
          termEnd: localDate(current.termEnd, current.timeZone),
          autoRenew: current.autoRenew && !current.cancelAtTermEnd ? 'yes' : 'no',
        },
      });
      current = { ...current, reminderKeysDone: [...current.reminderKeysDone, ...due.map((r) => r.key)] };
    }
    current = withRunningStatus(current, now);
  }
  return { ok: true, state: current, effects };
}
