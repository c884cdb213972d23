import { z } from 'zod';
import type { Db } from '../db/client';
import type { CalendarStore } from '../tickets/calendar-store';
import type { PolicyStore } from '../tickets/policy-store';
import { queue, QUEUE_SORTS } from '../tickets/queue';
import type { Api } from './route';
import { slugId, text } from './schemas';
import { listTicketsQuery } from './ticket-schemas';

const queueQuery = listTicketsQuery
  .pick({ status: true, priority: true, customerId: true, slaState: true, policyId: true, limit: true })
  .extend({
    assignee: text(200).optional().describe('Only tickets assigned to this agent (the console’s “mine”).'),
    unassigned: z.enum(['true', 'false']).optional().describe('true: only tickets nobody is assigned.'),
    sort: z
      .enum(QUEUE_SORTS)
      .optional()
      .describe(
        'handling (default): higher priority first (a premium ticket before a standard one), then what breaches next; deadline: what breaches next only.',
      ),
  });

const rowSchema = z
  .strictObject({
    id: z.string(),
    subject: z.string(),
    customerId: z.string(),
    policyId: slugId,
    priority: z.string(),
    status: z.string(),
    slaState: z.string(),
    assignee: z.string().nullable(),
    openedAt: z.string(),
    next: z.strictObject({ clock: z.string(), dueAt: z.string() }).nullable(),
    businessMsLeft: z.number().nullable().describe('Business time to the next deadline on the policy’s calendar; negative once missed.'),
    calendarOpen: z.boolean().describe('Whether the calendar is open now: the business countdown only runs while it is.'),
    calendarId: z.string().nullable(),
  })
  .meta({ id: 'QueueRow' });
const queueSchema = z.strictObject({ items: z.array(rowSchema), asOf: z.string() }).meta({ id: 'Queue' });

export function queueRoutes(api: Api, deps: { db: Db; policies: PolicyStore; calendars: CalendarStore; now?: () => number }): void {
  api.route({
    method: 'get',
    path: '/v1/queue',
    tag: 'Tickets',
    summary: 'The staff queue: by priority, then what breaches next',
    description:
      'Open tickets (or `status`), higher priority first (`sort=deadline` leaves it out), then by their earliest owed deadline, a missed one first; each with the business time left on its policy’s calendar. Cheap enough to poll every few seconds.',
    roles: ['staff', 'admin'],
    query: queueQuery,
    responses: { 200: { description: 'The queue.', schema: queueSchema } },
    async handler({ query }) {
      const { unassigned, limit, ...filters } = query;
      const body = await queue(
        deps.db,
        deps,
        { ...filters, unassigned: unassigned === 'true', limit: limit ?? 100 },
        (deps.now ?? Date.now)(),
      );
      return { status: 200, body };
    },
  });
}
