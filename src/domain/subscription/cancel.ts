import { once, refuse, succeed } from './outcome.js';
import { isRunning } from './timeline.js';
import type { OperationOptions, OperationResult, SubscriptionState } from './types.js';
import { localDate } from './zoned-time.js';

/**
 * Stops automatic continuation; support runs until the paid-through end (004: prepaid and
 * non-refundable, so nothing is cut short or refunded). renew() clears the flag.
 */
export function cancelAtTermEnd(state: SubscriptionState, now: number, options?: OperationOptions): OperationResult {
  return once(state, options, () => {
    if (!isRunning(state) || now >= state.termEnd) {
      return refuse('not_active', `subscription already ended on ${localDate(state.termEnd, state.timeZone)}`);
    }
    if (state.cancelAtTermEnd) return succeed(state, []);
    const next: SubscriptionState = { ...state, cancelAtTermEnd: true };
    return succeed(next, [
      {
        type: 'email',
        template: 'cancellation-scheduled',
        emailKey: `${state.id}:cancel:${state.termEnd}`,
        data: { termEnd: localDate(state.termEnd, state.timeZone) },
      },
    ]);
  });
}
