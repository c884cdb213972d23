import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { ticketWorkflowId } from '../../workflows/ticket/contract';
import { summarize, type Summary } from './stats';

type Event = temporal.api.history.v1.IHistoryEvent;
const T = (e: Event | undefined) => (e?.eventTime ? tsToMs(e.eventTime) : Number.NaN);

export interface TimerAnatomy {
  sampled: number;
  /** Where the timer was due by the server's reckoning (TimerStarted + startToFire) minus the deadline: arming lag. */
  armedLate: Summary;
  /** TimerFired minus its server due time: the history service's timer queue. */
  serverTimer: Summary;
  /** Next WorkflowTaskStarted minus TimerFired: matching plus the worker picking the task up. */
  dispatch: Summary;
}

/**
 * Splits each breach's delay into its stages, from the histories of up to `sample` tickets whose
 * breach deadline is known. A timer is relative ("fire in N ms" from the moment the server records
 * it), so a workflow task that completes late arms its timer late: that is the first stage.
 */
export async function timerAnatomy(client: Client, dueAt: ReadonlyMap<string, number>, sample = 200): Promise<TimerAnatomy> {
  const ids = [...dueAt.keys()].filter((_, i, all) => i % Math.max(1, Math.floor(all.length / sample)) === 0).slice(0, sample);
  const armed: number[] = [];
  const server: number[] = [];
  const dispatch: number[] = [];
  for (const id of ids) {
    const deadline = dueAt.get(id) as number;
    const events = (await client.workflow.getHandle(ticketWorkflowId(id)).fetchHistory()).events ?? [];
    const started = new Map<string, Event>();
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as Event;
      if (e.timerStartedEventAttributes?.timerId) started.set(e.timerStartedEventAttributes.timerId, e);
      const fired = e.timerFiredEventAttributes;
      if (!fired?.timerId) continue;
      const start = started.get(fired.timerId);
      const startToFire = start?.timerStartedEventAttributes?.startToFireTimeout;
      if (!start || !startToFire) continue;
      const serverDue = T(start) + tsToMs(startToFire);
      if (Math.abs(serverDue - deadline) > 60_000) continue;
      const next = events.slice(i + 1).find((x) => x.workflowTaskStartedEventAttributes);
      armed.push(serverDue - deadline);
      server.push(T(e) - serverDue);
      dispatch.push(T(next) - T(e));
      break;
    }
  }
  return { sampled: armed.length, armedLate: summarize(armed), serverTimer: summarize(server), dispatch: summarize(dispatch) };
}
