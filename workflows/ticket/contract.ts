import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarSpec } from '../../src/domain/calendar/core';
import type {
  ClockKind,
  ClockSet,
  ClockTerms,
  EmergencyPhase,
  Priority,
  ProductVersion,
  ResolutionKind,
  ResolutionLevel,
  SupportPolicy,
  TicketAction,
  TicketChannel,
  TicketEventRecord,
  TicketState,
  TicketStatus,
} from '../../src/domain/ticket/core';

/** How a ticket's changes are committed; see OpenTicketInput.commits. */
export type CommitMode = 'one-step' | 'local' | 'serial';

/** Everything a client, the API or a worker needs to talk to ticket workflows. */
export const TICKET_TASK_QUEUE = 'tickets';

export function ticketWorkflowId(ticketId: string): string {
  return `ticket-${ticketId}`;
}

export function devTicketWorkflowId(ticketId: string): string {
  return `ticket-${ticketId}-dev`;
}

export enum SlaState {
  Ok = 'ok',
  Warning = 'warning',
  Breached = 'breached',
}

export type Channel = TicketChannel;

export interface Contacts {
  teamLeadEmail: string;
  devTeamEmail: string;
}

export interface OpenTicketInput {
  ticketId: string;
  customerId: string;
  resellerId?: string;
  requesterEmail: string;
  /** Zone the requester reads deadlines in; the policy's zone when absent. */
  requesterZone?: string;
  subject: string;
  description: string;
  fields: Record<string, string>;
  channel: Channel;
  priority: Priority;
  /** The pinned policy (id@version) and any policy it may switch to (an emergency's fallback). */
  policy: SupportPolicy;
  policies: Record<string, SupportPolicy>;
  /**
   * Calendars by id with regional holidays frozen into dates (src/tickets/ticket-calendars.ts); a preset
   * without regional holidays may be left out.
   */
  calendars?: Record<string, CalendarSpec>;
  product?: ProductVersion;
  tier: string;
  subscriptionId?: string;
  /** What covered the ticket at opening: a direct contract, a subscription, or the vendor's paid path. */
  coveredBy?: CoveredBy;
  /** A ticket bought as a product (000's emergency ticket): the charge recorded with its opening. */
  purchase?: TicketPurchase;
  /** The Message-ID of the customer's mail that opened the ticket (issue 15): our mails thread under it. */
  inboundMessageId?: string;
  /**
   * The addresses of the reseller the customer buys through, when someone other than the reseller asked:
   * copied on every customer mail while the ticket's policy has `copyReseller` (002). Set by the API at the
   * opening; tickets opened before have none and mail as their histories hold.
   */
  resellerCc?: string[];
  parentTicketId?: string;
  assignee?: { name: string; email: string };
  contacts: Contacts;
  /** Instant the API accepted the ticket (epoch ms); every deadline counts from here. */
  openedAt: number;
  /** Set by continue-as-new, or by a restart: the state carried from the previous run. */
  resume?: MachineSnapshot;
  /** Staff restarted an ended run (cancelled, terminated, failed) at this instant. */
  restartedAt?: number;
  /**
   * 'one-step' (issue 16): a change is one activity that writes the row, the event and the outbox and
   * sends the mails; search attributes are upserted only when a value changed; the timer is re-armed only
   * when its instant moved. Tickets opened before have no such field: their histories replay unchanged.
   * 'local': the same one step, run as a local activity (workflows/activity-options.ts says why); tickets
   * opened with 'one-step' keep their activity tasks.
   * 'serial': 'local', one commit at a time. Under 'local' an action's commit and a deadline's could run
   * side by side; their local activities then completed in separate workflow tasks but replayed resolved
   * together, and the handler and the main loop issued their next commands in another order: a
   * nondeterminism error once the run left the worker's cache (test/integration/ticket-model.test.ts
   * found it). 'local' runs take 'serial' at their next continue-as-new.
   */
  commits?: CommitMode;
  /**
   * The run ends when the ticket closes (issue 16: no timer kept for the reopen window); a reopen inside
   * the window starts a new run from the closed one's state (src/tickets/ended-ticket.ts). Tickets opened
   * before have no such field and keep their runs open to the end of the window, as their histories hold.
   */
  endsAtClose?: boolean;
  /**
   * 003's second level is a promise of its own, counted from the opening: its resolution warnings and
   * breach are keyed apart from the first level's (TicketMachine.levelKey) and the development ticket is
   * told its deadline. Set for every ticket the API opens or restarts; tickets opened before keep what
   * their histories hold. A flag, not patched(): a marker in the escalation's task is a billed action.
   */
  secondLevelOwnPromise?: boolean;
}

/** The workflow's view of a ticket, returned by every action and the query; instants are ISO 8601 strings. */
export interface TicketView {
  ticketId: string;
  customerId: string;
  status: TicketStatus;
  slaState: SlaState;
  priority: Priority;
  policyId: string;
  policyVersion: number;
  resolutionLevel: ResolutionLevel;
  emergency?: EmergencyPhase;
  assignee?: string;
  devTicketOpen: boolean;
  openedAt: string;
  deadlines: Partial<Record<ClockKind, string>>;
  breaches: Array<{ clock: ClockKind; at: string }>;
  autoCloseAt?: string;
  reopenUntil?: string;
  firstRespondedAt?: string;
  /** Only while the ticket is resolved or closed: a reopened ticket has no resolution yet. */
  resolvedAt?: string;
  closedAt?: string;
  /** The reply belongs to a new ticket (the API opens it): this one was over. */
  followUp?: boolean;
  version: number;
}

/** The machine's whole state, carried across continue-as-new. */
/** What covered a ticket: a direct contract, a subscription, or the vendor's paid path. */
export interface TicketPurchase {
  /** The charge's key: one per ticket, so a retried recording inserts nothing. */
  chargeKey: string;
  product: string;
  amountMinor: number;
  currency: string;
  paymentReference: string;
  catalogVersion: number;
  refundOnDowngrade: boolean;
}

export type CoveredBy = { kind: 'contract' | 'subscription' | 'warranty'; id: string } | { kind: 'paid' };

export interface MachineSnapshot {
  state: TicketState;
  clocks: ClockSet;
  terms: ClockTerms;
  fired: string[];
  slaState: SlaState;
  breaches: Array<{ clock: ClockKind; at: number }>;
  policies: Record<string, SupportPolicy>;
  calendars: Record<string, CalendarSpec>;
  firstRespondedAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  /** Set when a change of the customer's contract moved the ticket (absent: the opening's `coveredBy`). */
  coveredBy?: CoveredBy;
  /** Set when an operator cancelled the workflow: what a restart picks up again. */
  cancelled?: { at: number; state: TicketState; clocks: ClockSet };
  /**
   * Set when the ticket moved to second-level resolution: true where its resolution warnings and breach
   * are keyed by level (TicketMachine.levelKey); false on a history that escalated before they were.
   */
  resolutionKeysByLevel?: boolean;
  version: number;
}

export interface ActorInput {
  agent: string;
}
export interface MessageInput extends ActorInput {
  message: string;
}
export interface ResolveInput extends ActorInput {
  resolution: ResolutionKind;
  /** The policy's excluded topic (its id) an out_of_scope resolution names (003). */
  topic?: string;
  note?: string;
}
/** Who wrote a customer-side reply when it was not the customer: the reseller (002), by key or by mail. */
export interface ReplyAuthor {
  kind: 'reseller';
  resellerId: string;
  email?: string;
}
/** 003: "leave a message with our support team, indicating the date/time/contact phone to call you back, the nature of the issue". */
export interface PhoneMessageInput {
  callbackPhone: string;
  /** When the customer would like the call (ISO 8601 with an offset): the callback clock is not due before it. */
  callbackAt?: string;
  message: string;
}
export interface CallbackInput extends ActorInput {
  note?: string;
}

/**
 * Every staff or customer action on a ticket, by the path segment the API serves it under, with the
 * argument its update takes. Adding an action: a member here, its entry in `ticketActions`, its case in
 * the domain's decide(); the compiler then asks for its request body (src/api/ticket-schemas.ts) and its
 * mail (ticket-mail.ts).
 */
export interface TicketActionArgs {
  respond: MessageInput;
  'request-info': MessageInput;
  /** `messageId`: the Message-ID of the customer's mail when the reply came in by email (issue 15, item 3). */
  reply: { message: string; messageId?: string; author?: ReplyAuthor };
  'phone-message': PhoneMessageInput;
  callback: CallbackInput;
  priority: ActorInput & { priority: Priority };
  assign: ActorInput & { assignee: string; assigneeEmail: string };
  escalate: ActorInput & { summary: string };
  mitigate: ActorInput;
  downgrade: ActorInput & { reason: string };
  resolve: ResolveInput;
  reopen: ActorInput;
  close: ActorInput;
}
export type TicketActionName = keyof TicketActionArgs;

export interface TicketActionDecl<A> {
  update: UpdateDefinition<TicketView, [A], string>;
  /** What the action means to the domain's decide(). */
  toAction(arg: A): TicketAction;
}

/** Update names are what running workflows know; they never change. */
export const ticketActions: { [K in TicketActionName]: TicketActionDecl<TicketActionArgs[K]> } = {
  respond: { update: defineUpdate('respond'), toAction: () => ({ type: 'respond' }) },
  'request-info': { update: defineUpdate('requestInfo'), toAction: () => ({ type: 'request_info' }) },
  reply: { update: defineUpdate('customerReply'), toAction: () => ({ type: 'customer_reply' }) },
  'phone-message': {
    update: defineUpdate('phoneMessage'),
    toAction: (a) => ({ type: 'phone_message', callbackPhone: a.callbackPhone, ...(a.callbackAt ? { callbackAt: a.callbackAt } : {}) }),
  },
  callback: { update: defineUpdate('callBack'), toAction: () => ({ type: 'callback' }) },
  priority: { update: defineUpdate('changePriority'), toAction: (a) => ({ type: 'change_priority', priority: a.priority }) },
  assign: {
    update: defineUpdate('assign'),
    toAction: (a) => ({ type: 'assign', assignee: a.assignee, assigneeEmail: a.assigneeEmail }),
  },
  escalate: { update: defineUpdate('escalateToDevelopment'), toAction: () => ({ type: 'escalate' }) },
  mitigate: { update: defineUpdate('markMitigated'), toAction: () => ({ type: 'mark_mitigated' }) },
  downgrade: { update: defineUpdate('downgradeEmergency'), toAction: () => ({ type: 'downgrade_emergency' }) },
  resolve: {
    update: defineUpdate('resolve'),
    toAction: (a) => ({ type: 'resolve', kind: a.resolution, ...(a.topic !== undefined ? { topic: a.topic } : {}) }),
  },
  reopen: { update: defineUpdate('reopen'), toAction: () => ({ type: 'reopen' }) },
  close: { update: defineUpdate('close'), toAction: () => ({ type: 'close', by: 'staff' }) },
};
export const TICKET_ACTION_NAMES = Object.keys(ticketActions) as TicketActionName[];

/** Actions the customer takes (they name no agent), each served on a route of its own; the rest are staff's. */
export const CUSTOMER_ACTION_NAMES = ['reply', 'phone-message'] as const satisfies readonly TicketActionName[];
export type CustomerActionName = (typeof CUSTOMER_ACTION_NAMES)[number];
export type StaffActionName = Exclude<TicketActionName, CustomerActionName>;
export function isStaffAction(name: TicketActionName): name is StaffActionName {
  return !(CUSTOMER_ACTION_NAMES as readonly TicketActionName[]).includes(name);
}
export const STAFF_ACTION_NAMES: StaffActionName[] = TICKET_ACTION_NAMES.filter(isStaffAction);

export const respondUpdate = ticketActions.respond.update;
export const requestInfoUpdate = ticketActions['request-info'].update;
export const customerReplyUpdate = ticketActions.reply.update;
export const phoneMessageUpdate = ticketActions['phone-message'].update;
export const callbackUpdate = ticketActions.callback.update;
export const changePriorityUpdate = ticketActions.priority.update;
export const assignUpdate = ticketActions.assign.update;
export const escalateUpdate = ticketActions.escalate.update;
export const markMitigatedUpdate = ticketActions.mitigate.update;
export const downgradeEmergencyUpdate = ticketActions.downgrade.update;
export const resolveUpdate = ticketActions.resolve.update;
export const reopenUpdate = ticketActions.reopen.update;
export const closeUpdate = ticketActions.close.update;

/** Admin changed the policy (or its calendar): pending deadlines are recomputed, used time stays used. */
export const changePolicyUpdate = defineUpdate<TicketView, [{ policy: SupportPolicy; calendars?: Record<string, CalendarSpec> }]>(
  'changePolicy',
);
export const ticketQuery = defineQuery<TicketView>('ticket');
/** The whole machine state, readable on an ended run too (Temporal replays it): what a restart resumes. */
export const ticketSnapshotQuery = defineQuery<MachineSnapshot>('snapshot');
/**
 * A new version of the ticket's policy, walked onto open tickets by the policy-change workflow. A ticket
 * already on that version (or a newer one) ignores it, so a re-sent change is harmless.
 */
export const changePolicySignal =
  defineSignal<[{ policy: SupportPolicy; calendars?: Record<string, CalendarSpec>; changeId: string }]>('changePolicyTerms');

/**
 * The customer's contract changed (an upgrade, a new contract) and now gives the ticket another policy
 * (issue 13, item 8): the remaining deadlines follow the new terms from that instant, used time kept.
 * `changeId` identifies the change, so a re-sent one is harmless.
 */
export const changeContractSignal = defineSignal<
  [
    {
      policy: SupportPolicy;
      policies: Record<string, SupportPolicy>;
      calendars?: Record<string, CalendarSpec>;
      coveredBy: CoveredBy;
      changeId: string;
    },
  ]
>('changeContract');

/** An event of the development ticket, as the customer ticket writes it for it (see DevReport). */
export type DevRecord = TicketEventRecord & { data: Record<string, unknown> };

/**
 * From the internal development ticket back to the customer ticket. A development ticket opened since
 * issue 16 sends its own event along (`record`): the customer ticket writes it in the commit it makes for
 * the report anyway, which saves development an activity per action. When the customer ticket cannot
 * take the signal (its run has ended), development records the event itself.
 */
export interface DevReport {
  note: string;
  engineer: string;
  record?: DevRecord;
}
export const devProgressSignal = defineSignal<[DevReport]>('devProgress');
export const devResolvedSignal = defineSignal<[DevReport]>('devResolved');

export interface DevTicketInput {
  ticketId: string;
  parentWorkflowId: string;
  customerId: string;
  summary: string;
  policy: SupportPolicy;
  calendars?: Record<string, CalendarSpec>;
  priority: Priority;
  devTeamEmail: string;
  openedAt: number;
  /** The customer's report (the ticket's description) and the escalating agent's note (seed 001 step 3). */
  report?: string;
  escalation?: { agent: string; note: string };
  /** As on OpenTicketInput: each record and its mail in one activity (issue 16); absent before. */
  commits?: CommitMode;
  /** Progress and fix are recorded by the customer ticket's commit when it takes the report (DevReport); absent before. */
  recordsThroughParent?: boolean;
  /**
   * The customer ticket's resolution deadline at the escalation (its second-level promise counts from the
   * opening); absent before, and when that clock was paused, where development counts its own target.
   */
  dueAt?: number;
}

export interface DevTicketView {
  ticketId: string;
  status: 'open' | 'resolved' | 'cancelled';
  dueAt?: string;
  breached: boolean;
  notes: Array<{ at: string; engineer: string; note: string }>;
}

export interface DevNote {
  engineer: string;
  note: string;
}
/** The development team's actions, by the path segment the API serves them under. */
export interface DevTicketActionArgs {
  progress: DevNote;
  resolve: DevNote;
}
export type DevTicketActionName = keyof DevTicketActionArgs;
export const devTicketActions: { [K in DevTicketActionName]: UpdateDefinition<DevTicketView, [DevTicketActionArgs[K]], string> } = {
  progress: defineUpdate('devProgress'),
  resolve: defineUpdate('devResolve'),
};
export const DEV_TICKET_ACTION_NAMES = Object.keys(devTicketActions) as DevTicketActionName[];
export const devProgressUpdate = devTicketActions.progress;
export const devResolveUpdate = devTicketActions.resolve;
export const devTicketQuery = defineQuery<DevTicketView>('devTicket');

export interface RefusedTicketInput {
  ticketId: string;
  customerId: string;
  requesterEmail: string;
  subject: string;
  code: string;
  reason: string;
  /** What the customer can do instead (e.g. buy an emergency ticket). */
  offer: string;
  at: number;
}
