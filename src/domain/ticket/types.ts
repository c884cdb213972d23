/**
 * Vocabulary shared by the ticket lifecycle, the policies and the SLA clocks. Everything is plain JSON
 * (string-valued enums, epoch-ms instants, ms durations) so it can travel in workflow inputs and jsonb.
 */

export const TICKET_STATUSES = [
  'new',
  'answered',
  'in_progress',
  'waiting_on_customer',
  'escalated',
  'mitigated',
  'resolved',
  'closed',
  /** An operator cancelled the ticket's workflow: clocks stopped, nothing more happens until staff restart it. */
  'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Ordered from least to most urgent; the order is what "raise the priority" means. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/**
 * business: counted only while the policy's calendar is open (and the clock is not paused).
 * wall: counted on the wall clock, 24x7, whatever the calendar says.
 */
export type ClockBasis = 'business' | 'wall';

export interface Target {
  ms: number;
  clock: ClockBasis;
}

/**
 * callback: a phone call owed to the customer who left a message on the support line (003: "someone will
 * call you back within 2-4 hours"); it runs only under a policy with a `phoneCallback` target.
 */
export type ClockKind = 'first_response' | 'next_reply' | 'periodic_update' | 'resolution' | 'callback';
export const CLOCK_KINDS: readonly ClockKind[] = ['first_response', 'next_reply', 'periodic_update', 'resolution', 'callback'];

/** How the customer reached support; a policy may ask for more on some channels (a number to call back). */
export const TICKET_CHANNELS = ['email', 'phone', 'web'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** First level: support answers it; second level: development had to be involved (seed 003). */
export type ResolutionLevel = 'first' | 'second';

/**
 * out_of_scope: the request is about a topic the policy excludes (003: "It does not include advice on:
 * message composition, HTML code, deliverability…"); it ends the ticket as the other kinds do.
 */
export const RESOLUTION_KINDS = ['solution', 'workaround', 'out_of_scope'] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];

export interface Money {
  /** Minor units (cents) to stay exact in JSON. */
  amountMinor: number;
  currency: string;
}

export interface ProductVersion {
  product: string;
  version: string;
}

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/**
 * One entry of a ticket's journal as workflows hand it to the activities that write it (a development
 * ticket's events travel to the customer ticket in this shape too).
 */
export interface TicketEventRecord {
  ticketId: string;
  /** Unique per ticket: the same event recorded twice is one row. */
  eventKey: string;
  kind: string;
  at: number;
  data?: Record<string, unknown>;
}
