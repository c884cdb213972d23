import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../db/client';
import { recordTime, timeOf } from '../tickets/time-entries';
import { notFound, Problem } from './problem';
import type { Api } from './route';
import { anyText, idParam, instant, text } from './schemas';
import { ticketOwner } from './ticket-scope';

const entrySchema = z
  .strictObject({
    id: z.number().int(),
    minutes: z.number().int(),
    note: z.string(),
    author: z.string(),
    at: z.string(),
    billedInvoiceKey: z.string().nullable(),
  })
  .meta({ id: 'TimeEntry' });
const timeSheetSchema = z
  .strictObject({ items: z.array(entrySchema), totalMinutes: z.number().int(), unbilledMinutes: z.number().int() })
  .meta({ id: 'TimeSheet' });
const timeBody = z
  .strictObject({
    agent: text(200),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    note: anyText(2_000).default(''),
    at: instant.optional().describe('When the work was done; absent: now.'),
  })
  .meta({ id: 'RecordTimeRequest' });

export function ticketTimeRoutes(api: Api, deps: { db: Db; client: Client; now?: () => number }): void {
  const now = deps.now ?? Date.now;
  api.route({
    method: 'post',
    path: '/v1/tickets/:id/time',
    tag: 'Tickets',
    summary: 'Record time spent on a ticket',
    description:
      'Every ticket records time (reports use it). A ticket on an hourly path (004 without a subscription) is invoiced for its unbilled time at the catalog’s then-current rate when it is resolved; a covered one bills nothing. Send an Idempotency-Key so a retry records the time once.',
    roles: ['staff', 'admin'],
    params: idParam,
    body: timeBody,
    owner: ({ id }, principal) => ticketOwner(deps, id, principal),
    responses: { 201: { description: 'Recorded.', schema: entrySchema } },
    async handler({ params: { id }, body, annotate }) {
      annotate({ ticketId: id });
      const at = body.at === undefined ? now() : Date.parse(body.at);
      if (at > now() + 60_000)
        // A rule of the clock, not of the document: the body is well-formed, the instant has not come yet.
        throw new Problem(422, 'time_in_future', 'Time is recorded for work done: `at` must not lie in the future.', [
          { path: 'body.at', message: 'must not lie in the future' },
        ]);
      const entry = await recordTime(deps.db, id, { minutes: body.minutes, note: body.note, author: body.agent, at });
      if (!entry) throw notFound(`Ticket ${id}`);
      return { status: 201, body: entry };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/tickets/:id/time',
    tag: 'Tickets',
    summary: 'Read the time recorded on a ticket',
    roles: ['customer', 'reseller', 'staff', 'admin'],
    params: idParam,
    owner: ({ id }, principal) => ticketOwner(deps, id, principal),
    responses: { 200: { description: 'Every entry, with what was billed.', schema: timeSheetSchema } },
    async handler({ params: { id } }) {
      return { status: 200, body: await timeOf(deps.db, id) };
    },
  });
}
