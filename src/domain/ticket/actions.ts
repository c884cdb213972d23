import type { SupportPolicy } from './policy';
import type { ClockKind, Money, Priority, ProductVersion, ResolutionKind, ResolutionLevel, TicketStatus } from './types';

export const TICKET_ACTION_TYPES = [
  'respond',
  'request_info',
  'customer_reply',
  'phone_message',
  'callback',
  'change_priority',
  'assign',
  'escalate',
  'dev_update',
  'dev_resolved',
  'mark_mitigated',
  'downgrade_emergency',
  'resolve',
  'reopen',
  'close',
] as const;
export type TicketActionType = (typeof TICKET_ACTION_TYPES)[number];

export type TicketAction =
  /** Any public reply by staff; the first one is the first response. */
  | { type: 'respond' }
  /** A public reply that asks the customer for something; the clocks measuring our work pause. */
  | { type: 'request_info' }
  | { type: 'customer_reply' }
  /**
   * 003: the customer left a message on the support line, "indicating the date/time/contact phone to call
   * you back, the nature of the issue": a customer message that also starts the callback clock, due no
   * earlier than `callbackAt` (ISO 8601 with an offset) when the customer asked for a later time.
   */
  | { type: 'phone_message'; callbackPhone: string; callbackAt?: string }
  /** Staff called the customer back: a reply by phone, which keeps the callback promise. */
  | { type: 'callback' }
  | { type: 'change_priority'; priority: Priority }
  | { type: 'assign'; assignee: string; assigneeEmail?: string }
  /** Opens the internal development ticket (seed 001 step 3); resolution moves to second level. */
  | { type: 'escalate' }
  | { type: 'dev_update' }
  | { type: 'dev_resolved' }
  /** Emergency only: the critical issue is addressed; the ticket continues in business hours. */
  | { type: 'mark_mitigated' }
  /** Emergency only: not an emergency after all; standard support, and a refund where the sale allows one. */
  | { type: 'downgrade_emergency' }
  /** `topic`: the policy's excluded topic an out_of_scope resolution names (003). */
  | { type: 'resolve'; kind: ResolutionKind; topic?: string }
  | { type: 'reopen' }
  /** staff: closes a resolved ticket now; system: the auto-close timer fired. */
  | { type: 'close'; by: 'staff' | 'system' };

/** Where a ticket bought as an emergency stands; undefined for ordinary tickets. */
export type EmergencyPhase = 'active' | 'mitigated' | 'downgraded';

/** A ticket bought on its own (000: "$349 per ticket"), as the catalog sold it. */
export interface TicketSale {
  /** What the customer was charged: all a refund can give back. */
  charged: Money;
  /** The catalog product's flag (000: "the emergency support costs may be refunded"): whether a downgrade refunds. */
  refundOnDowngrade: boolean;
}

/** What decide needs to know about a ticket; the workflow owns it and feeds it back after each event. */
export interface TicketState {
  status: TicketStatus;
  /** The pinned policy version the ticket runs on now (an emergency switches to its fallback). */
  policy: SupportPolicy;
  priority: Priority;
  resolutionLevel: ResolutionLevel;
  emergency?: EmergencyPhase;
  /** An internal development ticket is open (may outlive the escalated status, e.g. a workaround). */
  devTicketOpen: boolean;
  product?: ProductVersion;
  assignee?: string;
  /** Where the assignee's mail (assignment, warnings, breaches) goes. */
  assigneeEmail?: string;
  /** Set when the ticket is resolved: the instant the auto-close timer fires. */
  autoCloseAt?: number;
  /** Set when the ticket is resolved (or closed unresolved): last instant a reopen is accepted. */
  reopenUntil?: number;
  /** A call back is owed (the callback clock runs); kept by evolve from the decisions' clock effects. */
  callbackPending?: boolean;
  /** Set on a ticket that was a sale; absent, nothing was charged and a downgrade refunds nothing. */
  sale?: TicketSale;
}

/**
 * Instructions for the workflow's clocks. Effects on a kind the policy has no target for are no-ops.
 * start: start a fresh clock unless one of that kind is already running; restart: always fresh.
 * notBefore: the fresh clock is not due before that instant (startClockNotBefore).
 * resume: also revives a stopped clock (reopen), see sla-clock resume.
 * retarget: every running clock gets its target from (policy, priority, level), time used stays used.
 */
export type ClockEffect =
  | { type: 'start'; kind: ClockKind; notBefore?: number }
  | { type: 'restart'; kind: ClockKind }
  | { type: 'stop'; kind: ClockKind }
  | { type: 'pause'; kind: ClockKind }
  | { type: 'resume'; kind: ClockKind }
  | { type: 'retarget'; policyId: string; priority: Priority; resolutionLevel: ResolutionLevel }
  | { type: 'schedule_auto_close' }
  | { type: 'cancel_auto_close' };

/** Things outside the clocks that the transition obliges the workflow to do or record. */
export type SideEffect =
  | { type: 'open_dev_ticket' }
  | { type: 'close_dev_ticket' }
  | { type: 'switch_policy'; policyId: string }
  | { type: 'set_emergency'; phase: EmergencyPhase }
  | { type: 'set_priority'; priority: Priority }
  | { type: 'set_resolution_level'; level: ResolutionLevel }
  | { type: 'set_assignee'; assignee: string; assigneeEmail?: string }
  | { type: 'record_resolution'; kind: ResolutionKind }
  | { type: 'refund'; amount: Money }
  /** A reply to a ticket that is over: it starts a new ticket linked to this one. */
  | { type: 'open_follow_up_ticket' };

export type RefusalCode =
  | 'ticket_closed'
  | 'ticket_cancelled'
  | 'ticket_resolved'
  | 'already_resolved'
  | 'already_closed'
  | 'already_waiting'
  | 'already_escalated'
  | 'waiting_on_customer'
  | 'not_resolved'
  | 'reopen_window_passed'
  | 'auto_close_not_due'
  | 'priority_not_offered'
  | 'priority_unchanged'
  | 'emergency_priority'
  | 'legacy_version'
  | 'version_unknown'
  | 'no_dev_ticket'
  | 'not_emergency'
  | 'already_mitigated'
  | 'already_downgraded'
  | 'not_responded'
  | 'no_callback_pending'
  | 'phone_not_served'
  | 'topic_not_excluded'
  | 'invalid_action';

export type Decision =
  | { ok: true; outcome: 'transition'; next: TicketStatus; clockEffects: ClockEffect[]; sideEffects: SideEffect[] }
  /** The ticket itself is unchanged; the action belongs to a new ticket (customer reply after close). */
  | { ok: true; outcome: 'follow_up'; next: TicketStatus; clockEffects: ClockEffect[]; sideEffects: SideEffect[] }
  /** reason is a sentence an HTTP 409 body can carry as is. */
  | { ok: false; code: RefusalCode; reason: string };
