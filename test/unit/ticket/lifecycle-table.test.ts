import { describe, expect, it } from 'vitest';
import type { TicketAction, TicketActionType, TicketState } from '../../../src/domain/ticket/actions';
import { TICKET_ACTION_TYPES } from '../../../src/domain/ticket/actions';
import { decide } from '../../../src/domain/ticket/lifecycle';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import { TICKET_STATUSES, type TicketStatus } from '../../../src/domain/ticket/types';
import { at, H, ticket } from './helpers';

const NOW = at('2026-11-23T11:00', 'Europe/Berlin');

/** One representative ticket per status: escalated tickets have their development ticket open. */
function standardTicket(status: TicketStatus): TicketState {
  return ticket({
    status,
    devTicketOpen: status === 'escalated',
    resolutionLevel: status === 'escalated' ? 'second' : 'first',
    ...(status === 'resolved' || status === 'closed' ? { reopenUntil: NOW + 24 * H } : {}),
    ...(status === 'resolved' ? { autoCloseAt: NOW - 1 } : {}),
  });
}

const SAMPLE: Record<TicketActionType, TicketAction> = {
  respond: { type: 'respond' },
  request_info: { type: 'request_info' },
  customer_reply: { type: 'customer_reply' },
  phone_message: { type: 'phone_message', callbackPhone: '+39 02 1234 5678' },
  callback: { type: 'callback' },
  change_priority: { type: 'change_priority', priority: 'high' },
  assign: { type: 'assign', assignee: 'alice' },
  escalate: { type: 'escalate' },
  dev_update: { type: 'dev_update' },
  dev_resolved: { type: 'dev_resolved' },
  mark_mitigated: { type: 'mark_mitigated' },
  downgrade_emergency: { type: 'downgrade_emergency' },
  resolve: { type: 'resolve', kind: 'solution' },
  reopen: { type: 'reopen' },
  close: { type: 'close', by: 'staff' },
};

/** Expected outcome: a status is an accepted transition, "!code" a refusal, "~follow_up" a follow-up ticket. */
type Row = Record<TicketStatus, string>;
/** A cancelled ticket refuses everything until staff restart its workflow. */
const row = (n: string, a: string, ip: string, w: string, e: string, m: string, r: string, c: string, x = '!ticket_cancelled'): Row => ({
  new: n,
  answered: a,
  in_progress: ip,
  waiting_on_customer: w,
  escalated: e,
  mitigated: m,
  resolved: r,
  closed: c,
  cancelled: x,
});

//                                  new                answered           in_progress        waiting_on_customer     escalated            mitigated          resolved            closed
const STANDARD: Record<TicketActionType, Row> = {
  respond: row('answered', 'answered', 'answered', 'waiting_on_customer', 'escalated', 'answered', 'resolved', '!ticket_closed'),
  request_info: row(
    'waiting_on_customer',
    'waiting_on_customer',
    'waiting_on_customer',
    '!already_waiting',
    'waiting_on_customer',
    'waiting_on_customer',
    '!ticket_resolved',
    '!ticket_closed',
  ),
  customer_reply: row('new', 'in_progress', 'in_progress', 'in_progress', 'escalated', 'in_progress', 'in_progress', '~follow_up'),
  // 001: "We handle support queries through written communication": no phone line to leave a message on.
  phone_message: row(
    '!phone_not_served',
    '!phone_not_served',
    '!phone_not_served',
    '!phone_not_served',
    '!phone_not_served',
    '!phone_not_served',
    '!phone_not_served',
    '!phone_not_served',
  ),
  callback: row(
    '!no_callback_pending',
    '!no_callback_pending',
    '!no_callback_pending',
    '!no_callback_pending',
    '!no_callback_pending',
    '!no_callback_pending',
    '!no_callback_pending',
    '!no_callback_pending',
  ),
  change_priority: row(
    'new',
    'answered',
    'in_progress',
    'waiting_on_customer',
    'escalated',
    'mitigated',
    '!ticket_resolved',
    '!ticket_closed',
  ),
  assign: row('new', 'answered', 'in_progress', 'waiting_on_customer', 'escalated', 'mitigated', 'resolved', '!ticket_closed'),
  escalate: row(
    'escalated',
    'escalated',
    'escalated',
    '!waiting_on_customer',
    '!already_escalated',
    'escalated',
    '!ticket_resolved',
    '!ticket_closed',
  ),
  dev_update: row(
    '!no_dev_ticket',
    '!no_dev_ticket',
    '!no_dev_ticket',
    '!no_dev_ticket',
    'escalated',
    '!no_dev_ticket',
    '!no_dev_ticket',
    '!no_dev_ticket',
  ),
  dev_resolved: row(
    '!no_dev_ticket',
    '!no_dev_ticket',
    '!no_dev_ticket',
    '!no_dev_ticket',
    'in_progress',
    '!no_dev_ticket',
    '!no_dev_ticket',
    '!no_dev_ticket',
  ),
  mark_mitigated: row(
    '!not_emergency',
    '!not_emergency',
    '!not_emergency',
    '!not_emergency',
    '!not_emergency',
    '!not_emergency',
    '!ticket_resolved',
    '!ticket_closed',
  ),
  downgrade_emergency: row(
    '!not_emergency',
    '!not_emergency',
    '!not_emergency',
    '!not_emergency',
    '!not_emergency',
    '!not_emergency',
    '!ticket_resolved',
    '!ticket_closed',
  ),
  resolve: row('resolved', 'resolved', 'resolved', 'resolved', 'resolved', 'resolved', '!already_resolved', '!ticket_closed'),
  reopen: row(
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    'in_progress',
    'in_progress',
  ),
  close: row(
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    'closed',
    '!already_closed',
  ),
};

/** An emergency ticket (seed 000) before mitigation; in status "mitigated" the emergency phase is over. */
function emergencyTicket(status: TicketStatus): TicketState {
  return {
    ...standardTicket(status),
    policy: getPolicyPreset('smartertools-emergency'),
    priority: 'urgent',
    emergency: status === 'mitigated' ? 'mitigated' : 'active',
    product: { product: 'SmarterMail', version: '100.0.9000' },
  };
}

const EMERGENCY: Partial<Record<TicketActionType, Row>> = {
  // A resolved emergency picks up again (on its business-hours fallback, lifecycle-rules.test.ts) like any ticket.
  customer_reply: row('new', 'in_progress', 'in_progress', 'in_progress', 'escalated', 'in_progress', 'in_progress', '~follow_up'),
  reopen: row(
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    '!not_resolved',
    'in_progress',
    'in_progress',
  ),
  resolve: row('resolved', 'resolved', 'resolved', 'resolved', 'resolved', 'resolved', '!already_resolved', '!ticket_closed'),
  mark_mitigated: row(
    '!not_responded',
    'mitigated',
    'mitigated',
    'mitigated',
    'mitigated',
    '!already_mitigated',
    '!ticket_resolved',
    '!ticket_closed',
  ),
  downgrade_emergency: row(
    'new',
    'answered',
    'in_progress',
    'waiting_on_customer',
    'escalated',
    '!already_mitigated',
    '!ticket_resolved',
    '!ticket_closed',
  ),
  change_priority: row(
    '!emergency_priority',
    '!emergency_priority',
    '!emergency_priority',
    '!emergency_priority',
    '!emergency_priority',
    '!priority_not_offered',
    '!ticket_resolved',
    '!ticket_closed',
  ),
  escalate: row(
    'escalated',
    'escalated',
    'escalated',
    '!waiting_on_customer',
    '!already_escalated',
    'escalated',
    '!ticket_resolved',
    '!ticket_closed',
  ),
};

/**
 * A MailUp premium ticket (seed 003) with a call back owed wherever one can be: a resolution stops the
 * callback clock, so resolved and closed tickets owe none.
 */
function callbackTicket(status: TicketStatus): TicketState {
  const owed = status !== 'resolved' && status !== 'closed';
  return {
    ...standardTicket(status),
    policy: getPolicyPreset('mailup-premium'),
    priority: 'high',
    ...(owed ? { callbackPending: true } : {}),
  };
}

const CALLBACK: Partial<Record<TicketActionType, Row>> = {
  // A call back is a reply by phone: the same transitions as respond.
  callback: row(
    'answered',
    'answered',
    'answered',
    'waiting_on_customer',
    'escalated',
    'answered',
    '!no_callback_pending',
    '!no_callback_pending',
  ),
  phone_message: row('new', 'in_progress', 'in_progress', 'in_progress', 'escalated', 'in_progress', 'in_progress', '!ticket_closed'),
};

/** A ticket on a policy that serves the phone but promises no call back (004: "Call us anytime during our normal business hours"). */
function phoneTicket(status: TicketStatus): TicketState {
  return { ...standardTicket(status), policy: getPolicyPreset('per-user-support') };
}

const PHONE: Partial<Record<TicketActionType, Row>> = {
  phone_message: row('new', 'in_progress', 'in_progress', 'in_progress', 'escalated', 'in_progress', 'in_progress', '!ticket_closed'),
};

function outcome(state: TicketState, action: TicketAction): string {
  const d = decide(state, action, NOW);
  if (!d.ok) return `!${d.code}`;
  return d.outcome === 'follow_up' ? '~follow_up' : d.next;
}

describe('decide: every status × action', () => {
  it('the tables cover every action and status', () => {
    expect(Object.keys(STANDARD).sort()).toEqual([...TICKET_ACTION_TYPES].sort());
    for (const r of Object.values(STANDARD)) expect(Object.keys(r).sort()).toEqual([...TICKET_STATUSES].sort());
  });

  const standardCases = TICKET_ACTION_TYPES.flatMap((a) => TICKET_STATUSES.map((s) => [a, s, STANDARD[a][s]] as const));
  it.each(standardCases)('standard ticket: %s on %s → %s', (actionType, status, expected) => {
    expect(outcome(standardTicket(status), SAMPLE[actionType])).toBe(expected);
  });

  const emergencyCases = Object.entries(EMERGENCY).flatMap(([a, r]) =>
    TICKET_STATUSES.map((s) => [a as TicketActionType, s, r[s]] as const),
  );
  it.each(emergencyCases)('emergency ticket: %s on %s → %s', (actionType, status, expected) => {
    expect(outcome(emergencyTicket(status), SAMPLE[actionType])).toBe(expected);
  });

  const callbackCases = Object.entries(CALLBACK).flatMap(([a, r]) => TICKET_STATUSES.map((s) => [a as TicketActionType, s, r[s]] as const));
  it.each(callbackCases)('ticket owing a phone call back: %s on %s → %s', (actionType, status, expected) => {
    expect(outcome(callbackTicket(status), SAMPLE[actionType])).toBe(expected);
  });

  const phoneCases = Object.entries(PHONE).flatMap(([a, r]) => TICKET_STATUSES.map((s) => [a as TicketActionType, s, r[s]] as const));
  it.each(phoneCases)('ticket on a phone policy without call backs: %s on %s → %s', (actionType, status, expected) => {
    expect(outcome(phoneTicket(status), SAMPLE[actionType])).toBe(expected);
  });

  it.each(TICKET_ACTION_TYPES.flatMap((a) => TICKET_STATUSES.map((s) => [a, s] as const)))(
    'refusals carry a sentence a 409 can show: %s on %s',
    (actionType, status) => {
      const d = decide(standardTicket(status), SAMPLE[actionType], NOW);
      if (!d.ok) expect(d.reason).toMatch(/^[a-z].{10,}[^.]$/);
      else expect(Array.isArray(d.clockEffects) && Array.isArray(d.sideEffects)).toBe(true);
    },
  );

  it('decide never mutates the state it is given', () => {
    for (const status of TICKET_STATUSES) {
      for (const action of Object.values(SAMPLE)) {
        const state = standardTicket(status);
        const copy = structuredClone(state);
        decide(state, action, NOW);
        expect(state).toEqual(copy);
      }
    }
  });
});
