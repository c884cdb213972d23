import { isRunning } from './timeline.js';
import type { SubscriptionState } from './types.js';
import { addDays, humanInstant } from './zoned-time.js';

export const DEFAULT_REMINDER_OFFSETS_DAYS: readonly number[] = [60, 30, 7];

export interface Reminder {
  /** `termEnd:offset`: a reminder is sent once per term, however often the workflow wakes. */
  key: string;
  offsetDays: number;
  termEnd: number;
  at: number;
}

export function reminderKey(termEnd: number, offsetDays: number): string {
  return `${termEnd}:${offsetDays}`;
}

/** Calendar days before expiry in the subscription zone, at the expiry's local time of day. */
function remindersForTerm(state: SubscriptionState, offsetsDays: readonly number[]): Reminder[] {
  return [...new Set(offsetsDays)]
    .map((offsetDays) => ({
      key: reminderKey(state.termEnd, offsetDays),
      offsetDays,
      termEnd: state.termEnd,
      at: addDays(state.termEnd, -offsetDays, state.timeZone),
    }))
    .sort((a, b) => a.at - b.at);
}

/** Reminders of the current term not yet sent, optionally only those still ahead of `now`. */
export function reminderSchedule(
  state: SubscriptionState,
  offsetsDays: readonly number[] = state.reminderOffsetsDays,
  now?: number,
): Reminder[] {
  if (!isRunning(state)) return [];
  return remindersForTerm(state, offsetsDays).filter((r) => !state.reminderKeysDone.includes(r.key) && (now === undefined || r.at > now));
}

/** Reminders that fell due by `now` and have not been sent. */
export function dueReminders(state: SubscriptionState, now: number): Reminder[] {
  return reminderSchedule(state).filter((r) => r.at <= now && now < state.termEnd);
}

/**
 * Called whenever a term is established (create, renew, reinstate): reminders whose instant has
 * already passed are skipped rather than sent late, because "60 days left" is wrong when 10 are
 * left, and keys of earlier terms are dropped because they can never match again.
 */
export function skipPastReminders(state: SubscriptionState, now: number): SubscriptionState {
  const past = remindersForTerm(state, state.reminderOffsetsDays)
    .filter((r) => r.at <= now)
    .map((r) => r.key);
  const prefix = `${state.termEnd}:`;
  const kept = state.reminderKeysDone.filter((k) => k.startsWith(prefix));
  return { ...state, reminderKeysDone: [...new Set([...kept, ...past])] };
}

export function reminderSummary(r: Reminder, zone: string): string {
  return `renewal reminder (${r.offsetDays} days) due ${humanInstant(r.at, zone)}`;
}
