import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { attachmentContent, attachmentsOf } from '../conversation/attachment-store';
import type { Db } from '../db/client';
import { ticketAttachments } from '../db/schema';
import { notFound } from './problem';
import type { Api } from './route';
import { idParam } from './schemas';
import { ticketOwner } from './ticket-scope';

const ALL = ['customer', 'reseller', 'staff', 'admin'] as const;

const attachmentSchema = z
  .strictObject({
    id: z.number().int(),
    name: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    sha256: z.string().describe('Hex SHA-256 of the bytes, to check a download against.'),
    messageId: z.string().describe('The Message-ID of the mail that brought it (the message it belongs to).'),
    url: z.string(),
  })
  .meta({ id: 'Attachment' });
// Nine digits at most: ids are PostgreSQL integers, and a larger number is simply no attachment.
const attachmentParam = z.strictObject({ id: z.string().regex(/^[1-9]\d{0,8}$/, 'expected an attachment id') });

/** The files customers sent with their mail (001: "log files, screenshots"), as sent. */
export function attachmentRoutes(api: Api, deps: { db: Db; client: Client }): void {
  api.route({
    method: 'get',
    path: '/v1/tickets/:id/attachments',
    tag: 'Conversation',
    summary: 'List the files of a ticket',
    roles: ALL,
    params: idParam,
    owner: ({ id }, principal) => ticketOwner(deps, id, principal),
    responses: { 200: { description: 'Every file, oldest first.', schema: z.strictObject({ items: z.array(attachmentSchema) }) } },
    async handler({ params: { id } }) {
      return { status: 200, body: { items: await attachmentsOf(deps.db, id) } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/attachments/:id',
    tag: 'Conversation',
    summary: 'Download a file',
    description: 'The bytes as they came, with their content type; visible to whoever may read the ticket.',
    roles: ALL,
    params: attachmentParam,
    owner: async ({ id }, principal) => {
      const [row] = await deps.db
        .select({ ticketId: ticketAttachments.ticketId })
        .from(ticketAttachments)
        .where(eq(ticketAttachments.id, Number(id)));
      return row ? ticketOwner(deps, row.ticketId, principal) : undefined;
    },
    responses: { 200: { description: 'The file.' } },
    async handler({ params: { id } }) {
      const [row] = await deps.db
        .select({ ticketId: ticketAttachments.ticketId })
        .from(ticketAttachments)
        .where(eq(ticketAttachments.id, Number(id)));
      const file = row ? await attachmentContent(deps.db, row.ticketId, Number(id)) : undefined;
      if (!file) throw notFound(`Attachment ${id}`);
      return {
        status: 200,
        headers: {
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
          'X-Content-Type-Options': 'nosniff',
        },
        text: { contentType: file.contentType, content: file.content },
      };
    },
  });
}
