import { z } from 'zod';
import { PRIORITIES, TICKET_STATUSES } from '../domain/ticket/types';
import * as c from '../../workflows/ticket/contract';
import { instant, isoString, nullableIso, resourceId, slugId, text, zone } from './schemas';

export const openTicketBody = z
  .strictObject({
    customerId: text(100).optional().describe('Required for reseller, staff and admin keys; a customer key opens for its own organisation.'),
    resellerId: text(100).optional().describe('Set from the key for resellers; only staff and admin may name one.'),
    requesterEmail: z.email().max(320),
    requesterZone: zone.optional(),
    subject: text(300),
    description: z.string().max(20_000).default(''),
    priority: z.enum(PRIORITIES).optional(),
    policyId: text(100),
    channel: z.enum(['email', 'phone', 'web']).default('web'),
    fields: z.record(z.string().max(100), z.string().max(2_000)).default({}),
  })
  .meta({ id: 'OpenTicketRequest' });

const agent = { agent: text(200) };
export const ticketActions = {
  respond: { def: c.respondUpdate, summary: 'Respond to the customer', body: z.strictObject({ ...agent, message: text(20_000) }) },
  'request-info': { def: c.requestInfoUpdate, summary: 'Ask the customer for information', body: z.strictObject({ ...agent, message: text(20_000) }) },
  priority: { def: c.changePriorityUpdate, summary: 'Change the priority', body: z.strictObject({ ...agent, priority: z.enum(PRIORITIES) }) },
  assign: { def: c.assignUpdate, summary: 'Assign the ticket', body: z.strictObject({ ...agent, assignee: text(200), assigneeEmail: z.email().max(320) }) },
  escalate: { def: c.escalateUpdate, summary: 'Escalate to development', body: z.strictObject({ ...agent, summary: text(2_000) }) },
  mitigate: { def: c.markMitigatedUpdate, summary: 'Mark an emergency mitigated', body: z.strictObject(agent) },
  downgrade: { def: c.downgradeEmergencyUpdate, summary: 'Downgrade an emergency', body: z.strictObject({ ...agent, reason: text(2_000) }) },
  resolve: { def: c.resolveUpdate, summary: 'Resolve the ticket', body: z.strictObject({ ...agent, resolution: z.enum(['solution', 'workaround']), note: z.string().max(20_000).optional() }) },
  reopen: { def: c.reopenUpdate, summary: 'Reopen the ticket', body: z.strictObject(agent) },
  close: { def: c.closeUpdate, summary: 'Close the ticket', body: z.strictObject(agent) },
} as const;
export const devActions = {
  progress: { def: c.devProgressUpdate, summary: 'Record development progress', body: z.strictObject({ engineer: text(200), note: text(20_000) }) },
  resolve: { def: c.devResolveUpdate, summary: 'Resolve the development ticket', body: z.strictObject({ engineer: text(200), note: text(20_000) }) },
} as const;
export const replyBody = z.strictObject({ message: text(20_000) });

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
  limit: z.string().regex(/^\d{1,3}$/, 'expected 1-200').transform(Number).refine((n) => n >= 1 && n <= 200, 'expected 1-200').optional(),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'not a cursor').optional(),
});

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
    deadlines: z.record(z.string(), z.string().nullable()),
    openedAt: isoString,
    firstRespondedAt: nullableIso.optional(),
    resolvedAt: nullableIso.optional(),
    closedAt: nullableIso.optional(),
  })
  .meta({ id: 'Ticket' });

export const ticketPageSchema = z.strictObject({ items: z.array(ticketSchema), nextCursor: z.string().nullable() }).meta({ id: 'TicketPage' });

export const openedTicketSchema = z
  .strictObject({
    id: resourceId,
    status: z.literal('new'),
    priority: z.enum(PRIORITIES),
    policyId: z.string(),
    policyVersion: z.number().int(),
    tier: z.string(),
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
    openedAt: z.number().describe('epoch milliseconds'),
    deadlines: z.record(z.string(), z.string()),
    breaches: z.array(z.strictObject({ clock: z.string(), at: z.string() })),
    version: z.number().int(),
  })
  .meta({ id: 'TicketView' });

export const devTicketViewSchema = z
  .looseObject({ ticketId: resourceId, status: z.enum(['open', 'resolved', 'cancelled']), breached: z.boolean(), notes: z.array(z.looseObject({ at: z.number(), engineer: z.string(), note: z.string() })) })
  .meta({ id: 'DevTicketView' });
