import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { developmentOf } from '../conversation/development-view';
import { addNote, messagesOf } from '../conversation/message-store';
import { timelineOf } from '../conversation/timeline';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { Problem } from './problem';
import type { Api } from './route';
import { idParam } from './schemas';
import { developmentSchema, messageListSchema, messageSchema, noteBody, timelineSchema } from './conversation-schemas';
import { ticketOwner } from './ticket-scope';

const ALL = ['customer', 'reseller', 'staff', 'admin'] as const;
const STAFF = ['staff', 'admin'] as const;
/** A customer's or a reseller's key reads the conversation as the customer sees it. */
const publicOnly = (p: Principal) => p.role === 'customer' || p.role === 'reseller';

export interface ConversationRoutesDeps {
  db: Db;
  client: Client;
  now?: () => number;
  /** MAIL_DOMAIN, the domain a note's Message-ID is minted on. */
  mailDomain?: string;
}

/** A ticket's conversation and journal (issue 15): messages, internal notes, the timeline, the development ticket. */
export function conversationRoutes(api: Api, deps: ConversationRoutesDeps): void {
  const now = deps.now ?? Date.now;
  const owner = ({ id }: { id: string }, principal: Principal) => ticketOwner(deps, id, principal);

  api.route({
    method: 'get',
    path: '/v1/tickets/:id/messages',
    tag: 'Conversation',
    summary: 'List the messages of a ticket',
    description:
      'Every message in the order it happened: the request, replies either way, system mail and, for staff keys, internal notes and mail to staff. Each carries the Message-ID its mail had.',
    roles: ALL,
    params: idParam,
    owner,
    responses: { 200: { description: 'The thread.', schema: messageListSchema } },
    async handler({ params: { id }, principal, annotate }) {
      annotate({ ticketId: id });
      return { status: 200, body: { items: await messagesOf(deps.db, id, { publicOnly: publicOnly(principal) }) } };
    },
  });

  api.route({
    method: 'post',
    path: '/v1/tickets/:id/notes',
    tag: 'Conversation',
    summary: 'Add an internal note',
    description:
      'Staff only, never listed for a customer or reseller key and never mailed; it changes no clock. Send an Idempotency-Key so a retry writes one note.',
    roles: STAFF,
    params: idParam,
    body: noteBody,
    owner,
    responses: {
      201: { description: 'The note, as listed.', schema: messageSchema },
      409: { description: 'The ticket’s row is not written yet (note_before_ticket): retry in a moment.' },
    },
    async handler({ params: { id }, body, idempotency, annotate }) {
      annotate({ ticketId: id });
      // The owner check may answer from the workflow before the row exists; a note needs the ticket on record.
      const [row] = await deps.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, id));
      if (!row) throw new Problem(409, 'note_before_ticket', `Ticket ${id} is not recorded yet; retry the note in a moment.`);
      const key = idempotency ? `${idempotency.keyId}:${idempotency.key}` : undefined;
      const note = await addNote(deps.db, id, { agent: body.agent, text: body.text, at: now(), ...(key ? { key } : {}) }, deps.mailDomain);
      return { status: 201, body: note };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/tickets/:id/timeline',
    tag: 'Conversation',
    summary: 'Read the timeline of a ticket',
    description:
      'Every event in order with its actor and effect: the opening (policy, contract, deadlines), each clock started, paused, resumed, retargeted or stopped with its old and new due instants, warnings, breaches, assignments, escalation and development updates, mails sent (to whom, which key), status changes. Customer and reseller keys see the public entries without their recorded data.',
    roles: ALL,
    params: idParam,
    owner,
    responses: { 200: { description: 'The timeline.', schema: timelineSchema } },
    async handler({ params: { id }, principal, annotate }) {
      annotate({ ticketId: id });
      return { status: 200, body: { items: await timelineOf(deps.db, id, { publicOnly: publicOnly(principal) }) } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/tickets/:id/development',
    tag: 'Conversation',
    summary: 'Read the development ticket',
    description:
      'The internal development ticket of an escalated ticket: the customer’s report, the escalating agent’s note, the whole thread (internal notes included) and development’s progress.',
    roles: STAFF,
    params: idParam,
    owner,
    responses: {
      200: { description: 'The development ticket.', schema: developmentSchema },
      404: { description: 'The ticket was never escalated (no_dev_ticket_yet), or is not visible.' },
    },
    async handler({ params: { id }, annotate }) {
      annotate({ ticketId: id });
      const dev = await developmentOf(deps.db, id);
      if (!dev) throw new Problem(404, 'no_dev_ticket_yet', `Ticket ${id} was never escalated to development.`);
      return { status: 200, body: dev };
    },
  });
}
