import type { Decision, TicketState } from './actions';
import type { SupportPolicy } from './policy';
import type { CalendarResolver } from './policy-calendar';
import { instantAfter } from './sla-clock';

export interface EvolveContext {
  now: number;
  resolvePolicy: (policyId: string) => SupportPolicy;
  calendarOf: CalendarResolver;
}

function withCallbackPending(state: TicketState, pending: boolean): TicketState {
  if (pending) return { ...state, callbackPending: true };
  const { callbackPending: _done, ...rest } = state;
  return rest;
}

/**
 * The ticket state after an accepted decision (clocks are separate: applyClockEffects). A refused
 * decision or a follow-up leaves the ticket as it was, so the caller can apply every decision blindly.
 */
export function evolve(state: TicketState, decision: Decision, ctx: EvolveContext): TicketState {
  if (!decision.ok || decision.outcome !== 'transition') return state;
  const { calendarOf } = ctx;
  let next: TicketState = { ...state, status: decision.next };
  for (const effect of decision.sideEffects) {
    switch (effect.type) {
      case 'open_dev_ticket':
        next = { ...next, devTicketOpen: true };
        break;
      case 'close_dev_ticket':
        next = { ...next, devTicketOpen: false };
        break;
      case 'switch_policy':
        next = { ...next, policy: ctx.resolvePolicy(effect.policyId) };
        break;
      case 'set_emergency':
        next = { ...next, emergency: effect.phase };
        break;
      case 'set_priority':
        next = { ...next, priority: effect.priority };
        break;
      case 'set_resolution_level':
        next = { ...next, resolutionLevel: effect.level };
        break;
      case 'set_assignee':
        next = { ...next, assignee: effect.assignee, ...(effect.assigneeEmail ? { assigneeEmail: effect.assigneeEmail } : {}) };
        break;
      case 'record_resolution':
      case 'refund':
      case 'open_follow_up_ticket':
        // Records for the workflow's history and activities; nothing in the state machine depends on them.
        break;
    }
  }
  for (const effect of decision.clockEffects) {
    if (effect.type === 'schedule_auto_close') {
      // Both windows count from the resolution, on the policy in force when the ticket was resolved.
      const calendar = calendarOf(next.policy);
      next = {
        ...next,
        autoCloseAt: instantAfter(next.policy.autoCloseAfter, calendar, ctx.now),
        reopenUntil: instantAfter(next.policy.reopenWindow, calendar, ctx.now),
      };
    } else if (effect.type === 'cancel_auto_close') {
      const { autoCloseAt: _cancelled, ...rest } = next;
      next = rest;
    } else if ((effect.type === 'start' || effect.type === 'restart') && effect.kind === 'callback') {
      // Mirrors applyClockEffects: the clock only starts where the policy in force promises a call back.
      next = withCallbackPending(next, next.policy.phoneCallback !== undefined);
    } else if (effect.type === 'stop' && effect.kind === 'callback') {
      next = withCallbackPending(next, false);
    } else if (effect.type === 'retarget' && next.callbackPending) {
      // New terms without a call back promise end the clock (applyClockEffects stops it).
      const policy = effect.policyId === next.policy.id ? next.policy : ctx.resolvePolicy(effect.policyId);
      next = withCallbackPending(next, policy.phoneCallback !== undefined);
    }
  }
  if (next.status !== 'resolved' && next.status !== 'closed') {
    const { reopenUntil: _unused, ...rest } = next;
    next = rest;
  }
  return next;
}
