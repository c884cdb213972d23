import { once, refuse, succeed } from './outcome.js';
import { plansFor } from './plan-catalog.js';
import { licenseNames, licensesOf } from './third-party-licenses.js';
import { isRunning, planAt } from './timeline.js';
import type { OperationOptions, OperationResult, PlanCatalog, SubscriptionState, Success } from './types.js';
import { addDays, humanInstant, localDate } from './zoned-time.js';

/**
 * Ends a subscription that reached its expiry without renewal. The lapse is dated at the expiry
 * instant even when the workflow wakes late, so purge timing and history do not depend on timer
 * jitter. A subscription flagged cancel-at-term-end becomes `cancelled`, otherwise `lapsed`.
 */
export function lapse(state: SubscriptionState, now: number, options?: OperationOptions): OperationResult {
  return once(state, options, () => {
    if (!isRunning(state)) return refuse('not_active', `subscription is already ${state.status}`);
    if (now < state.termEnd) {
      return refuse('not_yet_expired', `support runs until ${humanInstant(state.termEnd, state.timeZone)}`);
    }
    return applyLapse(state, plansFor(state, options));
  });
}

export function applyLapse(state: SubscriptionState, catalog: PlanCatalog): Success {
  const plan = planAt(state, state.termEnd - 1, catalog);
  const purgeAt = addDays(state.termEnd, plan.configBackupRetentionDays, state.timeZone);
  const cancelled = state.cancelAtTermEnd;
  // 004: included third-party licenses "will be deactivated and canceled" with the subscription.
  const licenses = licensesOf(plan);
  const licenseIds = licenses.length ? { licenses: licenses.map((l) => l.id) } : {};
  const next: SubscriptionState = {
    ...state,
    status: cancelled ? 'cancelled' : 'lapsed',
    lapsedAt: state.termEnd,
    purgeAt,
  };
  return succeed(next, [
    { type: 'features-off', features: [...plan.subscriptionFeatures], ...licenseIds },
    { type: 'schedule-purge', at: purgeAt },
    {
      type: 'email',
      template: cancelled ? 'subscription-cancelled' : 'subscription-lapsed',
      emailKey: `${state.id}:lapsed:${state.termEnd}`,
      data: {
        expiredOn: localDate(state.termEnd, state.timeZone),
        backupsPurgedOn: localDate(purgeAt, state.timeZone),
        features: plan.subscriptionFeatures.join(', '),
        ...(licenses.length ? { licenses: licenseNames(licenses) } : {}),
      },
    },
  ]);
}

/** Deletes configuration backups once the retention period after the lapse has passed. */
export function purge(state: SubscriptionState, now: number, options?: OperationOptions): OperationResult {
  return once(state, options, () => {
    if ((state.status !== 'lapsed' && state.status !== 'cancelled') || state.purgeAt === null) {
      return refuse('not_lapsed', `only a lapsed subscription's backups are purged; this one is ${state.status}`);
    }
    if (now < state.purgeAt) {
      return refuse('not_yet_due', `configuration backups are kept until ${humanInstant(state.purgeAt, state.timeZone)}`);
    }
    return applyPurge(state, now);
  });
}

export function applyPurge(state: SubscriptionState, now: number): Success {
  const next: SubscriptionState = { ...state, status: 'purged', purgeAt: null, purgedAt: now };
  return succeed(next, [
    { type: 'purge-config-backups' },
    {
      type: 'email',
      template: 'config-backups-purged',
      emailKey: `${state.id}:purged:${state.termEnd}`,
      data: { expiredOn: localDate(state.termEnd, state.timeZone), purgedOn: localDate(now, state.timeZone) },
    },
  ]);
}
