import type { ClockEffect, Decision, EmergencyPhase, RefusalCode, SideEffect, TicketAction, TicketState } from './actions';
import { checkLegacyVersion, excludedTopic, policyRef, supportedPriorities } from './policy';
import { requestedCallbackAt } from './requested-callback';
import { PRIORITIES, RESOLUTION_KINDS, type Priority, type TicketStatus } from './types';

/**
 * The ticket state machine, in one place. decide() is pure: it reads the state, the action and the
 * instant, and says what the next status is and what the workflow must do to its clocks. It never
 * mutates anything; the workflow applies the effects and feeds the new state back in.
 */

const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'answered', 'in_progress', 'waiting_on_customer', 'escalated', 'mitigated'];

export function isOpenStatus(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

const STATUS_TEXT: Readonly<Record<TicketStatus, string>> = {
  new: 'a new',
  answered: 'an answered',
  in_progress: 'an in-progress',
  waiting_on_customer: 'a waiting-on-customer',
  escalated: 'an escalated',
  mitigated: 'a mitigated',
  resolved: 'a resolved',
  closed: 'a closed',
  cancelled: 'a cancelled',
};

function refuse(code: RefusalCode, reason: string): Decision {
  return { ok: false, code, reason };
}

function go(next: TicketStatus, clockEffects: ClockEffect[] = [], sideEffects: SideEffect[] = []): Decision {
  return { ok: true, outcome: 'transition', next, clockEffects, sideEffects };
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** Where work continues after the customer or development hands the ticket back. */
function workingStatus(state: TicketState): TicketStatus {
  return state.devTicketOpen ? 'escalated' : 'in_progress';
}

/** An emergency ending: the ticket moves onto the fallback policy, its clocks keep the time already used. */
function toFallback(state: TicketState, policyId: string, priority: Priority, phase: EmergencyPhase) {
  const retarget: ClockEffect = { type: 'retarget', policyId, priority, resolutionLevel: state.resolutionLevel };
  const sideEffects: SideEffect[] = [
    { type: 'set_emergency', phase },
    { type: 'switch_policy', policyId },
    { type: 'set_priority', priority },
  ];
  return { retarget, sideEffects };
}

/** Picking a resolved/closed ticket up again: resolution continues where it stood. */
function reopened(state: TicketState): Decision {
  const resume: ClockEffect = { type: 'resume', kind: 'resolution' };
  const owed: ClockEffect[] = [
    { type: 'start', kind: 'next_reply' },
    { type: 'restart', kind: 'periodic_update' },
    { type: 'cancel_auto_close' },
  ];
  const fallback = state.emergency === 'active' ? state.policy.emergency : undefined;
  if (!fallback) return go(workingStatus(state), [resume, ...owed]);
  // 000: "After the critical issue is addressed, emergency tickets are handled during business hours." The
  // resolution addressed it: the ticket picks up on the fallback, as after mark_mitigated (no refund: "non-refundable").
  // Retargeted after the resume and before the reply clock starts, so both count on the fallback's terms.
  const { retarget, sideEffects } = toFallback(state, fallback.fallbackPolicyId, fallback.fallbackPriority, 'mitigated');
  return go(workingStatus(state), [resume, retarget, ...owed], sideEffects);
}

/** Refusal for actions that need an open ticket, or undefined when the ticket is open. */
function requireOpen(state: TicketState, verb: string): Decision | undefined {
  if (state.status === 'closed') return refuse('ticket_closed', `cannot ${verb} a closed ticket; reopen it first`);
  if (state.status === 'resolved') return refuse('ticket_resolved', `cannot ${verb} a resolved ticket; reopen it first`);
  return undefined;
}

function respond(state: TicketState): Decision {
  switch (state.status) {
    case 'cancelled':
      return refuse('ticket_cancelled', 'the ticket was cancelled by an operator');
    case 'closed':
      return refuse('ticket_closed', 'cannot reply on a closed ticket; reopen it first');
    case 'resolved':
      return go('resolved');
    case 'waiting_on_customer':
      return go('waiting_on_customer');
    case 'new':
      return go('answered', [
        { type: 'stop', kind: 'first_response' },
        { type: 'restart', kind: 'periodic_update' },
      ]);
    case 'escalated':
      // Escalated before anyone answered: this reply is also the first response.
      return go('escalated', [
        { type: 'stop', kind: 'first_response' },
        { type: 'stop', kind: 'next_reply' },
        { type: 'restart', kind: 'periodic_update' },
      ]);
    case 'answered':
    case 'in_progress':
    case 'mitigated':
      // first_response is a no-op unless development handed back a ticket nobody had answered yet.
      return go('answered', [
        { type: 'stop', kind: 'first_response' },
        { type: 'stop', kind: 'next_reply' },
        { type: 'restart', kind: 'periodic_update' },
      ]);
  }
}

function requestInfo(state: TicketState): Decision {
  const closed = requireOpen(state, 'request information on');
  if (closed) return closed;
  if (state.status === 'waiting_on_customer') {
    return refuse('already_waiting', 'the ticket is already waiting on the customer');
  }
  // Asking is a reply: it answers the customer's last message, and is the first response if none came yet.
  const answered: ClockEffect[] = [
    { type: 'stop', kind: 'first_response' },
    ...(state.status === 'new' ? [] : [{ type: 'stop', kind: 'next_reply' } as const]),
  ];
  return go('waiting_on_customer', [...answered, { type: 'pause', kind: 'resolution' }, { type: 'stop', kind: 'periodic_update' }]);
}

function customerReply(state: TicketState, now: number): Decision {
  const followUp: Decision = {
    ok: true,
    outcome: 'follow_up',
    next: state.status,
    clockEffects: [],
    sideEffects: [{ type: 'open_follow_up_ticket' }],
  };
  switch (state.status) {
    case 'cancelled':
      return refuse('ticket_cancelled', 'the ticket was cancelled by an operator');
    case 'closed':
      return followUp;
    case 'resolved':
      if (state.reopenUntil !== undefined && now > state.reopenUntil) return followUp;
      return reopened(state);
    case 'new':
      // The first-response clock already covers this message.
      return go('new');
    case 'waiting_on_customer':
      return go(workingStatus(state), [
        { type: 'resume', kind: 'resolution' },
        { type: 'start', kind: 'next_reply' },
        { type: 'restart', kind: 'periodic_update' },
      ]);
    case 'escalated':
      return go('escalated', [{ type: 'start', kind: 'next_reply' }]);
    case 'answered':
    case 'in_progress':
    case 'mitigated':
      return go('in_progress', [{ type: 'start', kind: 'next_reply' }]);
  }
}

/**
 * 003: a message left on the support line is a customer message like a written one (the same status
 * change and next reply), and where the policy promises it, "someone will call you back": the callback
 * clock starts. A call back already owed keeps its deadline; the one call answers both messages.
 */
function phoneMessage(state: TicketState, action: Extract<TicketAction, { type: 'phone_message' }>, now: number): Decision {
  // 003: the phone line "is reserved for Premium Support subscribers only"; a policy listing no channels serves all.
  const { channels } = state.policy;
  if (channels && !channels.includes('phone')) {
    return refuse(
      'phone_not_served',
      `policy ${policyRef(state.policy)} is served by ${channels.join(' and ')}, not by phone; write to support instead`,
    );
  }
  if (state.status === 'closed') {
    return refuse('ticket_closed', 'cannot take a phone message on a closed ticket; leave it on a new phone ticket');
  }
  const message = customerReply(state, now);
  if (!message.ok) return message;
  if (message.outcome === 'follow_up') {
    return refuse(
      'reopen_window_passed',
      `the reopen window ended at ${iso(state.reopenUntil ?? now)}; leave the message on a new phone ticket`,
    );
  }
  // "Indicating the date/time … to call you back": the call is not due before the time asked for (one
  // already past asks for nothing more than the promise from the message).
  const notBefore = requestedCallbackAt(action.callbackAt, now);
  const start: ClockEffect = { type: 'start', kind: 'callback', ...(notBefore !== undefined ? { notBefore } : {}) };
  const callback: ClockEffect[] = state.policy.phoneCallback ? [start] : [];
  return { ...message, clockEffects: [...message.clockEffects, ...callback] };
}

/** Staff called the customer back: a reply by phone (it answers what was owed) that keeps the callback promise. */
function callBack(state: TicketState): Decision {
  if (!state.callbackPending) return refuse('no_callback_pending', 'no phone call back is pending on this ticket');
  const reply = respond(state);
  if (!reply.ok) return reply;
  const kept: ClockEffect = { type: 'stop', kind: 'callback' };
  return { ...reply, clockEffects: [...reply.clockEffects, kept] };
}

function changePriority(state: TicketState, action: Extract<TicketAction, { type: 'change_priority' }>): Decision {
  const closed = requireOpen(state, 'change the priority of');
  if (closed) return closed;
  if (!PRIORITIES.includes(action.priority)) return refuse('invalid_action', `unknown priority "${String(action.priority)}"`);
  if (state.emergency === 'active') {
    return refuse('emergency_priority', 'an emergency ticket stays urgent; downgrade the emergency instead');
  }
  if (action.priority === state.priority) return refuse('priority_unchanged', `the ticket already has ${action.priority} priority`);
  const offered = supportedPriorities(state.policy);
  if (!offered.includes(action.priority)) {
    return refuse(
      'priority_not_offered',
      `policy ${policyRef(state.policy)} offers ${offered.join(', ')} priority, not ${action.priority}`,
    );
  }
  return go(
    state.status,
    [{ type: 'retarget', policyId: state.policy.id, priority: action.priority, resolutionLevel: state.resolutionLevel }],
    [{ type: 'set_priority', priority: action.priority }],
  );
}

function assign(state: TicketState, action: Extract<TicketAction, { type: 'assign' }>): Decision {
  if (state.status === 'closed') return refuse('ticket_closed', 'cannot assign a closed ticket; reopen it first');
  const assignee = typeof action.assignee === 'string' ? action.assignee.trim() : '';
  if (assignee === '') return refuse('invalid_action', 'an assignee is required');
  const email = action.assigneeEmail ? { assigneeEmail: action.assigneeEmail } : {};
  return go(state.status, [], [{ type: 'set_assignee', assignee, ...email }]);
}

function escalate(state: TicketState): Decision {
  const closed = requireOpen(state, 'escalate');
  if (closed) return closed;
  if (state.status === 'escalated' || state.devTicketOpen) {
    return refuse('already_escalated', 'the ticket is already escalated to development');
  }
  if (state.status === 'waiting_on_customer') {
    return refuse('waiting_on_customer', 'cannot escalate while waiting on the customer; record their reply first');
  }
  const legacy = checkLegacyVersion(state.policy, state.product);
  if (legacy.legacy === true) {
    const { product, maxMajor } = legacy.rule;
    return refuse(
      'legacy_version',
      `no bug fixes for ${product} ${maxMajor}.x or earlier (installed: ${state.product?.version ?? '?'}); help is limited to configuration, or upgrade to the current build`,
    );
  }
  if (legacy.legacy === 'unknown') {
    return refuse('version_unknown', `record the installed ${legacy.rule.product} version before escalating to development`);
  }
  return go(
    'escalated',
    [{ type: 'retarget', policyId: state.policy.id, priority: state.priority, resolutionLevel: 'second' }],
    [{ type: 'open_dev_ticket' }, { type: 'set_resolution_level', level: 'second' }],
  );
}

function devUpdate(state: TicketState): Decision {
  if (!state.devTicketOpen) return refuse('no_dev_ticket', 'no development ticket is open for this ticket');
  return go(state.status);
}

function devResolved(state: TicketState): Decision {
  if (!state.devTicketOpen) return refuse('no_dev_ticket', 'no development ticket is open for this ticket');
  if (state.status === 'escalated') {
    // Development is done; support now owes the customer the outcome.
    return go('in_progress', [{ type: 'start', kind: 'next_reply' }], [{ type: 'close_dev_ticket' }]);
  }
  return go(state.status, [], [{ type: 'close_dev_ticket' }]);
}

function emergencyRefusal(state: TicketState): Decision | undefined {
  if (state.emergency === undefined) return refuse('not_emergency', 'only emergency tickets can be mitigated or downgraded');
  if (state.emergency === 'mitigated') return refuse('already_mitigated', 'the emergency has already been mitigated');
  if (state.emergency === 'downgraded')
    return refuse('already_downgraded', 'the emergency has already been downgraded to standard support');
  return undefined;
}

function markMitigated(state: TicketState): Decision {
  const closed = requireOpen(state, 'mitigate');
  if (closed) return closed;
  const notEmergency = emergencyRefusal(state);
  if (notEmergency) return notEmergency;
  if (state.status === 'new') return refuse('not_responded', 'respond to the emergency before marking it mitigated');
  const fallback = state.policy.emergency;
  if (!fallback) return refuse('not_emergency', `policy ${policyRef(state.policy)} has no emergency settings`);
  const { retarget, sideEffects } = toFallback(state, fallback.fallbackPolicyId, fallback.fallbackPriority, 'mitigated');
  const clocks: ClockEffect[] = [retarget];
  if (state.status === 'waiting_on_customer') clocks.push({ type: 'resume', kind: 'resolution' });
  return go('mitigated', clocks, sideEffects);
}

function downgradeEmergency(state: TicketState): Decision {
  const closed = requireOpen(state, 'downgrade');
  if (closed) return closed;
  const notEmergency = emergencyRefusal(state);
  if (notEmergency) return notEmergency;
  const fallback = state.policy.emergency;
  if (!fallback) return refuse('not_emergency', `policy ${policyRef(state.policy)} has no emergency settings`);
  const { retarget, sideEffects } = toFallback(state, fallback.fallbackPolicyId, fallback.downgradePriority, 'downgraded');
  // 000: "the emergency support costs may be refunded": the catalog's refundOnDowngrade, carried by the
  // sale, says whether they are; what is refunded is what was charged, and nothing when nothing was.
  const { sale } = state;
  const refund: SideEffect[] = sale?.refundOnDowngrade ? [{ type: 'refund', amount: { ...sale.charged } }] : [];
  return go(state.status, [retarget], [...sideEffects, ...refund]);
}

function resolve(state: TicketState, action: Extract<TicketAction, { type: 'resolve' }>): Decision {
  if (state.status === 'closed') return refuse('ticket_closed', 'cannot resolve a closed ticket; reopen it first');
  if (state.status === 'resolved') return refuse('already_resolved', 'the ticket is already resolved');
  if (!RESOLUTION_KINDS.includes(action.kind)) {
    return refuse('invalid_action', `a resolution is a ${RESOLUTION_KINDS.join(' or a ')}, not "${String(action.kind)}"`);
  }
  const scope = outOfScopeRefusal(state, action);
  if (scope) return scope;
  // The solution or workaround is itself a public reply, so it answers whatever was owed.
  return go(
    'resolved',
    [
      { type: 'stop', kind: 'first_response' },
      { type: 'stop', kind: 'next_reply' },
      { type: 'stop', kind: 'periodic_update' },
      { type: 'stop', kind: 'resolution' },
      // Nothing is owed on a resolved ticket, a call back included.
      { type: 'stop', kind: 'callback' },
      { type: 'schedule_auto_close' },
    ],
    [{ type: 'record_resolution', kind: action.kind }],
  );
}

/**
 * 003: only what the policy itself excludes ("It does not include advice on: …") can be turned away as out
 * of scope, and only by naming it: the customer is told which topic and what is sold for it instead.
 */
function outOfScopeRefusal(state: TicketState, action: Extract<TicketAction, { type: 'resolve' }>): Decision | undefined {
  const topics = state.policy.scopeExclusions?.topics.map((t) => t.id) ?? [];
  const listed = topics.length ? `it excludes ${topics.join(', ')}` : 'it excludes no topic';
  // Checked here rather than by the request schema, whose OpenAPI document cannot say "only with".
  if (action.kind !== 'out_of_scope') {
    if (action.topic === undefined) return undefined;
    return refuse('topic_not_excluded', `a topic is named only with resolution out_of_scope, not with ${action.kind}`);
  }
  if (action.topic === undefined) return refuse('topic_not_excluded', `name the excluded topic: ${listed}`);
  if (excludedTopic(state.policy, action.topic)) return undefined;
  return refuse('topic_not_excluded', `policy ${policyRef(state.policy)} does not exclude "${action.topic}"; ${listed}`);
}

function reopen(state: TicketState, now: number): Decision {
  if (state.status !== 'resolved' && state.status !== 'closed') {
    return refuse('not_resolved', `cannot reopen ${STATUS_TEXT[state.status]} ticket; only resolved or closed tickets can be reopened`);
  }
  if (state.reopenUntil !== undefined && now > state.reopenUntil) {
    return refuse(
      'reopen_window_passed',
      `the reopen window ended at ${iso(state.reopenUntil)}; a new customer message starts a follow-up ticket`,
    );
  }
  return reopened(state);
}

function close(state: TicketState, action: Extract<TicketAction, { type: 'close' }>, now: number): Decision {
  if (state.status === 'closed') return refuse('already_closed', 'the ticket is already closed');
  if (state.status !== 'resolved') {
    return refuse('not_resolved', `cannot close ${STATUS_TEXT[state.status]} ticket; resolve it first`);
  }
  if (action.by === 'system') {
    if (state.autoCloseAt === undefined) return refuse('auto_close_not_due', 'no automatic close is scheduled for this ticket');
    if (now < state.autoCloseAt) {
      return refuse('auto_close_not_due', `the automatic close is due at ${iso(state.autoCloseAt)}, not yet`);
    }
    return go('closed');
  }
  if (action.by !== 'staff') return refuse('invalid_action', `a ticket is closed by staff or system, not "${String(action.by)}"`);
  return go('closed', [{ type: 'cancel_auto_close' }]);
}

export function decide(state: TicketState, action: TicketAction, now: number): Decision {
  if (state.status === 'cancelled') {
    return refuse('ticket_cancelled', 'the ticket was cancelled by an operator; staff can restart it to act on it');
  }
  switch (action.type) {
    case 'respond':
      return respond(state);
    case 'request_info':
      return requestInfo(state);
    case 'customer_reply':
      return customerReply(state, now);
    case 'phone_message':
      return phoneMessage(state, action, now);
    case 'callback':
      return callBack(state);
    case 'change_priority':
      return changePriority(state, action);
    case 'assign':
      return assign(state, action);
    case 'escalate':
      return escalate(state);
    case 'dev_update':
      return devUpdate(state);
    case 'dev_resolved':
      return devResolved(state);
    case 'mark_mitigated':
      return markMitigated(state);
    case 'downgrade_emergency':
      return downgradeEmergency(state);
    case 'resolve':
      return resolve(state, action);
    case 'reopen':
      return reopen(state, now);
    case 'close':
      return close(state, action, now);
    default:
      return refuse('invalid_action', `unknown action "${String((action as { type?: unknown }).type)}"`);
  }
}
