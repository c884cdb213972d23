import { z } from 'zod';
import { PHONE_NUMBER_PATTERN } from '../domain/ticket/policy-presets';
import { PRIORITIES, RESOLUTION_KINDS, TICKET_CHANNELS, TICKET_STATUSES } from '../domain/ticket/types';
import type * as c from '../../workflows/ticket/contract';
import { anyText, instant, isoString, nullableIso, resourceId, slugId, text, zone } from './schemas';

export const openTicketBody = z
  .strictObject({
    customerId: text(100)
      .optional()
      .describe('Required for reseller, staff and admin keys; a customer key opens for its own organisation.'),
    resellerId: text(100).optional().describe('Set from the key for resellers; only staff and admin may name one.'),
    requesterEmail: z.email().max(320),
    requesterZone: zone.optional(),
    subject: text(300),
    description: anyText(20_000).default(''),
    priority: z
      .enum(PRIORITIES)
      .optional()
      .describe(
        'Set by staff and admin keys. From a customer or reseller key it is kept as fields.requestedPriority and the policy decides (its default, raised by its phrases) until staff reclassify.',
      ),
    policyId: text(100)
      .optional()
      .describe('Only among the policies the customer bought (or the vendor sells per ticket); absent: the contract decides.'),
    systemId: text(100).optional().describe('The installed system the ticket is about; its details prefill the required fields.'),
    service: z
      .enum(['support', 'hardware_warranty'])
      .optional()
      .describe('Absent: software support. A hardware warranty request (002) names its system and is covered by its warranty end.'),
    channel: z.enum(TICKET_CHANNELS).optional().describe('Absent: the first channel the policy serves.'),
    paymentReference: text(200)
      .optional()
      .describe(
        'The payment provider’s id for a ticket sold per ticket (000’s emergency ticket); required there. The same reference opens the same ticket, so a retried purchase is charged once.',
      ),
    fields: z
      .record(text(100), anyText(2_000))
      .refine((f) => f.callbackAt === undefined || instant.safeParse(f.callbackAt).success, {
        path: ['callbackAt'],
        message: 'expected an ISO 8601 instant with an offset, such as 2027-01-26T10:00:00+01:00',
      })
      .default({})
      .describe(
        'What the policy asks of a ticket (its requiredFields). On a phone ticket, callbackAt is when the customer asked to be called back (003): the callback clock is not due before it.',
      ),
  })
  .meta({ id: 'OpenTicketRequest' });

const agent = { agent: text(200) };

/** The number to call back: digits with the usual separators, optionally international. */
const phoneNumber = z.string().regex(new RegExp(PHONE_NUMBER_PATTERN), 'expected a phone number such as +39 02 1234 5678');

/** A request body per action, typed by the update's argument: a body that drifts from it does not compile. */
export type TicketActionBodies = { [K in c.TicketActionName]: z.ZodType<c.TicketActionArgs[K]> };

export const ticketActionBodies: TicketActionBodies = {
  respond: z.strictObject({ ...agent, message: text(20_000) }),
  'request-info': z.strictObject({ ...agent, message: text(20_000) }),
  reply: z.strictObject({ message: text(20_000) }),
  'phone-message': z.strictObject({
    callbackPhone: phoneNumber,
    callbackAt: instant
      .optional()
      .describe(
        'When the customer would like to be called (003: "indicating the date/time … to call you back"): the callback clock is due at the later of this time (in the policy’s hours) and the policy’s target from the message.',
      ),
    message: text(20_000),
  }),
  callback: z.strictObject({ ...agent, note: anyText(20_000).optional() }),
  priority: z.strictObject({ ...agent, priority: z.enum(PRIORITIES) }),
  assign: z.strictObject({ ...agent, assignee: text(200), assigneeEmail: z.email().max(320) }),
  escalate: z.strictObject({ ...agent, summary: text(2_000) }),
  mitigate: z.strictObject(agent),
  downgrade: z.strictObject({ ...agent, reason: text(2_000) }),
  resolve: z.strictObject({
    ...agent,
    resolution: z
      .enum(RESOLUTION_KINDS)
      .describe('out_of_scope (003): the request is about a topic the policy excludes; name it in `topic`.'),
    topic: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'a topic id such as html_code')
      .optional()
      .describe(
        'Required with out_of_scope, and only with it: the id of one of the policy’s `scopeExclusions.topics`; the customer’s mail names it and the policy’s alternatives. A missing, misplaced or other id is refused (422 topic_not_excluded).',
      ),
    note: anyText(20_000).optional(),
  }),
  reopen: z.strictObject(agent),
  close: z.strictObject(agent),
};

/** What the OpenAPI document says of each staff action (the customer's actions have routes of their own). */
export const ticketActionSummaries: Record<c.StaffActionName, string> = {
  respond: 'Respond to the customer',
  callback: 'Record the phone call back to the customer',
  'request-info': 'Ask the customer for information',
  priority: 'Change the priority',
  assign: 'Assign the ticket',
  escalate: 'Escalate to development',
  mitigate: 'Mark an emergency mitigated',
  downgrade: 'Downgrade an emergency',
  resolve: 'Resolve the ticket',
  reopen: 'Reopen the ticket',
  close: 'Close the ticket',
};

const devNote = z.strictObject({ engineer: text(200), note: text(20_000) });
export const devActionBodies: { [K in c.DevTicketActionName]: z.ZodType<c.DevTicketActionArgs[K]> } = {
  progress: devNote,
  resolve: devNote,
};
export const devActionSummaries: Record<c.DevTicketActionName, string> = {
  progress: 'Record development progress',
  resolve: 'Resolve the development ticket',
};

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');
export const listTicketsQuery = z.strictObject({
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  customerId: text(100).optional(),
  slaState: z.enum(['ok', 'warning', 'breached']).optional(),
  breached: boolParam.optional().describe('true: tickets with at least one recorded SLA breach.'),
  policyId: slugId.optional(),
  openedAfter: instant.optional(),
  openedBefore: instant.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'expected 1-200')
    // The document states the whole rule: up to three digits (leading zeros allowed) worth 1 to 200.
    .meta({ pattern: '^(?:0{0,2}[1-9]|0?[1-9][0-9]|1[0-9][0-9]|200)$', description: 'Page size, 1 to 200.' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 200, 'expected 1-200')
    .optional(),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'not a cursor')
    .optional(),
});

const coveredBy = z
  .union([
    z.strictObject({ kind: z.enum(['contract', 'subscription', 'warranty']), id: z.string() }),
    z.strictObject({ kind: z.literal('paid') }),
  ])
  .describe(
    'What covered the ticket: a direct contract, a subscription, a system’s hardware warranty (its id), or the vendor’s paid path (billed per ticket or hour).',
  );

export const ticketSchema = z
  .looseObject({
    id: resourceId,
    customerId: z.string(),
    resellerId: z.string().nullable().optional(),
    policyId: z.string(),
    policyVersion: z.number().int(),
    priority: z.enum(PRIORITIES),
    status: z.enum(TICKET_STATUSES),
    slaState: z.enum(['ok', 'warning', 'breached']),
    subject: z.string().optional(),
    assignee: z.string().nullable().optional(),
    channel: z.enum(TICKET_CHANNELS).optional(),
    coveredBy: coveredBy.nullable().optional(),
    deadlines: z.record(z.string(), z.string().nullable()),
    openedAt: isoString,
    firstRespondedAt: nullableIso.optional(),
    resolvedAt: nullableIso.optional(),
    closedAt: nullableIso.optional(),
    workflowStatus: z
      .string()
      .optional()
      .describe('For an open ticket: its workflow’s state (running, terminated, failed, …); anything but running needs a restart.'),
    needsRestart: z.boolean().optional(),
  })
  .meta({ id: 'Ticket' });

export const ticketPageSchema = z
  .strictObject({ items: z.array(ticketSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'TicketPage' });

export const openedTicketSchema = z
  .strictObject({
    id: resourceId,
    status: z.literal('new'),
    priority: z.enum(PRIORITIES),
    policyId: z.string(),
    policyVersion: z.number().int(),
    tier: z.string(),
    coveredBy: coveredBy.optional(),
    customerId: z.string(),
    purchase: z
      .strictObject({
        chargeKey: z.string(),
        product: z.string(),
        amountMinor: z.number().int(),
        currency: z.string(),
        paymentReference: z.string(),
        catalogVersion: z.number().int(),
        refundOnDowngrade: z.boolean(),
      })
      .optional()
      .describe('The sale that opened a ticket sold per ticket; its charge is readable at GET /v1/customers/:id/charges.'),
    channel: z.enum(TICKET_CHANNELS),
    openedAt: isoString,
    deadlines: z.record(z.string(), z.string()),
    schedule: z.array(z.strictObject({ kind: z.string(), dueAt: isoString, text: z.string() })),
    followUpOf: resourceId.optional(),
  })
  .meta({ id: 'OpenedTicket' });

/** The workflow's own view, returned by every staff action. */
export const ticketViewSchema = z
  .looseObject({
    ticketId: resourceId,
    customerId: z.string(),
    status: z.enum(TICKET_STATUSES),
    slaState: z.enum(['ok', 'warning', 'breached']),
    priority: z.enum(PRIORITIES),
    policyId: z.string(),
    policyVersion: z.number().int(),
    openedAt: isoString,
    firstRespondedAt: isoString.optional(),
    resolvedAt: isoString.optional(),
    closedAt: isoString.optional(),
    autoCloseAt: isoString.optional(),
    reopenUntil: isoString.optional(),
    deadlines: z.record(z.string(), isoString),
    breaches: z.array(z.strictObject({ clock: z.string(), at: isoString })),
    version: z.number().int(),
  })
  .meta({ id: 'TicketView' });

export const devTicketViewSchema = z
  .looseObject({
    ticketId: resourceId,
    status: z.enum(['open', 'resolved', 'cancelled']),
    dueAt: isoString.optional(),
    breached: z.boolean(),
    notes: z.array(z.looseObject({ at: isoString, engineer: z.string(), note: z.string() })),
  })
  .meta({ id: 'DevTicketView' });
