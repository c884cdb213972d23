import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarSpec } from '../../src/domain/calendar/core';
import type { ClockKind, EmergencyPhase, Priority, ProductVersion, ResolutionKind, ResolutionLevel, SupportPolicy, TicketStatus } from '../../src/domain/ticket/core';
import type { MachineSnapshot } from './ticket-machine';

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

export type Channel = 'email' | 'phone' | 'web';

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
  /** Calendars by id with regional holidays frozen into dates (src/tickets/ticket-calendars.ts); a preset without regional holidays may be left out. */
  calendars?: Record<string, CalendarSpec>;
  product?: ProductVersion;
  tier: string;
  subscriptionId?: string;
  parentTicketId?: string;
  assignee?: { name: string; email: string };
  contacts: Contacts;
  /** Instant the API accepted the ticket (epoch ms); every deadline counts from here. */
  openedAt: number;
  /** Set by continue-as-new: the state carried from the previous run. */
  resume?: MachineSnapshot;
}

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
  openedAt: number;
  deadlines: Partial<Record<ClockKind, string>>;
  breaches: Array<{ clock: ClockKind; at: string }>;
  autoCloseAt?: string;
  reopenUntil?: string;
  firstRespondedAt?: number;
  resolvedAt?: number;
  closedAt?: number;
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
  note?: string;
}

export const respondUpdate = defineUpdate<TicketView, [MessageInput]>('respond');
export const requestInfoUpdate = defineUpdate<TicketView, [MessageInput]>('requestInfo');
export const customerReplyUpdate = defineUpdate<TicketView, [{ message: string }]>('customerReply');
export const changePriorityUpdate = defineUpdate<TicketView, [ActorInput & { priority: Priority }]>('changePriority');
export const assignUpdate = defineUpdate<TicketView, [ActorInput & { assignee: string; assigneeEmail: string }]>('assign');
export const escalateUpdate = defineUpdate<TicketView, [ActorInput & { summary: string }]>('escalateToDevelopment');
export const markMitigatedUpdate = defineUpdate<TicketView, [ActorInput]>('markMitigated');
export const downgradeEmergencyUpdate = defineUpdate<TicketView, [ActorInput & { reason: string }]>('downgradeEmergency');
export const resolveUpdate = defineUpdate<TicketView, [ResolveInput]>('resolve');
export const reopenUpdate = defineUpdate<TicketView, [ActorInput]>('reopen');
export const closeUpdate = defineUpdate<TicketView, [ActorInput]>('close');
/** Admin changed the policy (or its calendar): pending deadlines are recomputed, used time stays used. */
export const changePolicyUpdate = defineUpdate<TicketView, [{ policy: SupportPolicy; calendars?: Record<string, CalendarSpec> }]>('changePolicy');
export const ticketQuery = defineQuery<TicketView>('ticket');

/** From the internal development ticket back to the customer ticket. */
export const devProgressSignal = defineSignal<[{ note: string; engineer: string }]>('devProgress');
export const devResolvedSignal = defineSignal<[{ note: string; engineer: string }]>('devResolved');

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
}

export interface DevTicketView {
  ticketId: string;
  status: 'open' | 'resolved' | 'cancelled';
  dueAt?: number;
  breached: boolean;
  notes: Array<{ at: number; engineer: string; note: string }>;
}

export const devProgressUpdate = defineUpdate<DevTicketView, [{ engineer: string; note: string }]>('devProgress');
export const devResolveUpdate = defineUpdate<DevTicketView, [{ engineer: string; note: string }]>('devResolve');
export const devTicketQuery = defineQuery<DevTicketView>('devTicket');

/** Typed failure names; listed as non-retryable and mapped to HTTP 409 by the API. */
export const InvalidTransitionError = 'InvalidTransition';

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
