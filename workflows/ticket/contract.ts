import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** Everything a client, the API or a worker needs to talk to ticket workflows. */
export const TICKET_TASK_QUEUE = 'tickets';

export function ticketWorkflowId(ticketId: string): string {
  return `ticket-${ticketId}`;
}

export enum TicketStatus {
  New = 'new',
  Answered = 'answered',
  Resolved = 'resolved',
}

export enum SlaState {
  Ok = 'ok',
  Warning = 'warning',
  Breached = 'breached',
}

export interface OpenTicketInput {
  ticketId: string;
  customerId: string;
  requesterEmail: string;
  subject: string;
  description: string;
  priority: string;
  policyId: string;
  policyVersion: number;
  /** Instant the API accepted the ticket (epoch ms); every deadline counts from here. */
  openedAt: number;
  /** Computed once by the API from the pinned policy, so the 201 and the timers agree. */
  firstResponseDueAt: number;
  tier: string;
  displayZone: string;
}

export interface TicketView {
  ticketId: string;
  customerId: string;
  status: TicketStatus;
  slaState: SlaState;
  priority: string;
  openedAt: number;
  firstResponseDueAt: number;
  firstRespondedAt?: number;
  resolvedAt?: number;
  version: number;
}

export interface RespondInput {
  agent: string;
  message: string;
}

export interface ResolveInput {
  agent: string;
  resolution: 'solution' | 'workaround';
  note?: string;
}

export const respondUpdate = defineUpdate<TicketView, [RespondInput]>('respond');
export const resolveUpdate = defineUpdate<TicketView, [ResolveInput]>('resolve');
export const ticketQuery = defineQuery<TicketView>('ticket');

/** Typed failure names; the worker lists them as non-retryable and the API maps them to HTTP. */
export const InvalidTransitionError = 'InvalidTransition';
