import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';

/**
 * The instants (epoch ms, server clock) of a run's timers that were started and have neither fired nor
 * been cancelled: a timer counts from its TimerStarted event, which the server writes as the task that
 * started it completes.
 */
export function pendingTimers(history: temporal.api.history.v1.IHistory): number[] {
  const pending = new Map<string, number>();
  for (const e of history.events ?? []) {
    const started = e.timerStartedEventAttributes;
    if (started?.timerId) pending.set(started.timerId, tsToMs(e.eventTime) + tsToMs(started.startToFireTimeout));
    const ended = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (ended?.timerId) pending.delete(ended.timerId);
  }
  return [...pending.values()];
}
