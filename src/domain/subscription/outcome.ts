import { humanInstant } from './zoned-time.js';
import type { Effect, OperationOptions, OperationResult, Refusal, RefusalCode, SubscriptionState, Success } from './types.js';

/**
 * Bounded so a long-lived workflow's state stays small; retries of one operation arrive within
 * minutes, long before hundreds of newer operations could push its id out.
 */
export const MAX_REMEMBERED_OPERATIONS = 500;

export function refuse(code: RefusalCode, reason: string): Refusal {
  return { ok: false, code, reason };
}

export function succeed(state: SubscriptionState, effects: Effect[]): Success {
  return { ok: true, state, effects };
}

/**
 * Applies `body` once per operation id. A repeated id returns the current state and no effects, so
 * a retried signal or API call cannot charge or email twice. Refusals are not remembered: the same
 * id may be retried after the blocking condition has gone.
 */
export function once(state: SubscriptionState, options: OperationOptions | undefined, body: () => OperationResult): OperationResult {
  const id = options?.operationId;
  if (id !== undefined && state.processedOperationIds.includes(id)) {
    return { ok: true, state, effects: [], duplicate: true };
  }
  const result = body();
  if (!result.ok || id === undefined) return result;
  return { ...result, state: rememberOperation(result.state, id) };
}

export function rememberOperation(state: SubscriptionState, id: string | undefined): SubscriptionState {
  if (id === undefined) return state;
  const ids = [...state.processedOperationIds, id];
  return { ...state, processedOperationIds: ids.slice(-MAX_REMEMBERED_OPERATIONS) };
}

/** Mid-term changes are priced against the running year, which does not exist before the start. */
export function refuseBeforeStart(state: SubscriptionState, now: number): Refusal | undefined {
  if (now >= state.originalStart) return undefined;
  return refuse('not_started', `the subscription starts on ${humanInstant(state.originalStart, state.timeZone)}`);
}
