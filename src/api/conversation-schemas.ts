import { z } from 'zod';
import { AUTHOR_KINDS, MESSAGE_CHANNELS, MESSAGE_KINDS, VISIBILITIES } from '../conversation/message-types';
import { ActorKind } from '../conversation/timeline';
import { isoString, nullableIso, text } from './schemas';

export const messageSchema = z
  .strictObject({
    id: z.number().int(),
    key: z.string().describe('Unique within the ticket; the Message-ID is derived from it.'),
    kind: z.enum(MESSAGE_KINDS),
    author: z.strictObject({ kind: z.enum(AUTHOR_KINDS), name: z.string().nullable(), email: z.string().nullable() }),
    visibility: z.enum(VISIBILITIES).describe('`internal`: staff only, never listed for a customer or reseller key, never mailed.'),
    channel: z.enum(MESSAGE_CHANNELS),
    to: z.string().nullable(),
    subject: z.string().nullable(),
    text: z.string(),
    html: z.string().nullable(),
    attachments: z.array(z.looseObject({ name: z.string(), contentType: z.string(), size: z.number().int() })),
    messageId: z.string().describe('The RFC 5322 Message-ID; the mail that carried the message has it.'),
    eventKey: z.string().nullable(),
    at: isoString,
  })
  .meta({ id: 'TicketMessage' });

export const messageListSchema = z.strictObject({ items: z.array(messageSchema) }).meta({ id: 'TicketMessageList' });

export const noteBody = z.strictObject({ agent: text(200), text: text(20_000) }).meta({ id: 'AddNoteRequest' });

const timelineClockSchema = z.strictObject({
  clock: z.string(),
  change: z.enum(['started', 'paused', 'resumed', 'retargeted', 'restarted', 'stopped']),
  from: nullableIso.describe('Due instant before the change (null: the clock was not running).'),
  to: nullableIso.describe('Due instant after the change (null: paused or stopped).'),
  remainingMs: z.number().optional().describe('While paused: what is left of the target.'),
});

export const timelineEntrySchema = z
  .strictObject({
    at: isoString,
    kind: z.string(),
    key: z.string(),
    actor: z.strictObject({ kind: z.enum(Object.values(ActorKind) as [ActorKind, ...ActorKind[]]), name: z.string().nullable() }),
    summary: z.string(),
    visibility: z.enum(VISIBILITIES),
    status: z.strictObject({ from: z.string(), to: z.string() }).optional(),
    clocks: z.array(timelineClockSchema).optional(),
    mail: z
      .strictObject({
        to: z.string(),
        key: z.string(),
        subject: z.string(),
        status: z.string(),
        messageId: z.string(),
        sentAt: nullableIso,
      })
      .optional(),
    data: z.record(z.string(), z.unknown()).optional().describe('The event as recorded; staff keys only.'),
  })
  .meta({ id: 'TimelineEntry' });

export const timelineSchema = z.strictObject({ items: z.array(timelineEntrySchema) }).meta({ id: 'TicketTimeline' });

export const developmentSchema = z
  .strictObject({
    ticketId: z.string(),
    parentTicketId: z.string(),
    status: z.enum(['open', 'resolved', 'cancelled']),
    openedAt: isoString,
    dueAt: nullableIso,
    breached: z.boolean(),
    report: z.string().nullable().describe('The customer’s report: the ticket’s description.'),
    escalation: z.strictObject({ agent: z.string(), note: z.string() }).nullable(),
    notes: z.array(z.strictObject({ at: isoString, engineer: z.string(), note: z.string() })),
    thread: z.array(messageSchema),
  })
  .meta({ id: 'DevelopmentTicket' });
