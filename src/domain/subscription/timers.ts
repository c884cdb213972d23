import { reminderSchedule, reminderSummary } from './reminders.js';
import { isRunning } from './timeline.js';
import type { SubscriptionState } from './types.js';
import { humanInstant } from './zoned-time.js';

export const TimerKind = { RenewalReminder: 'renewal-reminder', Expiry: 'expiry', Purge: 'purge' } as const;
export type TimerKind = (typeof TimerKind)[keyof typeof TimerKind];

export interface Timer {
  at: number;
  kind: TimerKind;
  key: string;
  summary: string;
  /** Already reached but not yet applied (the workflow was away): wake immediately. */
  dueNow: boolean;
}

/**
 * Instants the workflow must wake for, earliest first; on waking it calls advance(state, at).
 * Only pending work is listed (sent reminders, applied expiries and purges disappear), so anything
 * at or before `now` is overdue rather than stale.
 */
export function nextTimers(state: SubscriptionState, now: number): Timer[] {
  const zone = state.timeZone;
  const timers: Array<Omit<Timer, 'dueNow'>> = [];
  if (isRunning(state)) {
    for (const r of reminderSchedule(state)) {
      if (r.at < state.termEnd) {
        timers.push({ at: r.at, kind: 'renewal-reminder', key: `reminder:${r.key}`, summary: reminderSummary(r, zone) });
      }
    }
    const continues = state.autoRenew && !state.cancelAtTermEnd;
    timers.push({
      at: state.termEnd,
      kind: 'expiry',
      key: `expiry:${state.termEnd}`,
      summary: `${continues ? 'automatic renewal' : 'subscription expiry'} due ${humanInstant(state.termEnd, zone)}`,
    });
  } else if ((state.status === 'lapsed' || state.status === 'cancelled') && state.purgeAt !== null) {
    timers.push({
      at: state.purgeAt,
      kind: 'purge',
      key: `purge:${state.purgeAt}`,
      summary: `configuration backup purge due ${humanInstant(state.purgeAt, zone)}`,
    });
  }
  return timers.map((t) => ({ ...t, dueNow: t.at <= now })).sort((a, b) => a.at - b.at);
}
