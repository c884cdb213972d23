import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ticketAttachments } from '../db/schema';

/** 001's "log files, screenshots": a log or a screenshot fits; a disk image does not belong in a ticket. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

export interface IncomingFile {
  name: string;
  contentType: string;
  content: Buffer;
}

export interface AttachmentView {
  id: number;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  messageId: string;
  url: string;
}

/** Why a mail's files cannot be kept, or undefined when they can. */
export function attachmentProblem(files: IncomingFile[]): string | undefined {
  const big = files.find((f) => f.content.length > MAX_FILE_BYTES);
  if (big) return `${big.name} is ${big.content.length} bytes; one file may have ${MAX_FILE_BYTES}.`;
  const total = files.reduce((s, f) => s + f.content.length, 0);
  return total > MAX_MESSAGE_BYTES ? `The files come to ${total} bytes; one message may carry ${MAX_MESSAGE_BYTES}.` : undefined;
}

/** Keyed by (ticket, Message-ID, content hash, name): a redelivered mail stores its files once. */
export async function storeAttachments(db: Db, ticketId: string, messageId: string, files: IncomingFile[]): Promise<void> {
  if (files.length === 0) return;
  await db
    .insert(ticketAttachments)
    .values(
      files.map((f) => ({
        ticketId,
        messageId,
        name: f.name.slice(0, 255) || 'attachment',
        contentType: f.contentType.slice(0, 200) || 'application/octet-stream',
        size: f.content.length,
        sha256: createHash('sha256').update(f.content).digest('hex'),
        content: f.content,
      })),
    )
    .onConflictDoNothing();
}

export async function attachmentsOf(db: Db, ticketId: string): Promise<AttachmentView[]> {
  const rows = await db
    .select({
      id: ticketAttachments.id,
      name: ticketAttachments.name,
      contentType: ticketAttachments.contentType,
      size: ticketAttachments.size,
      sha256: ticketAttachments.sha256,
      messageId: ticketAttachments.messageId,
    })
    .from(ticketAttachments)
    .where(eq(ticketAttachments.ticketId, ticketId))
    .orderBy(asc(ticketAttachments.id));
  return rows.map((r) => ({ ...r, url: `/v1/attachments/${r.id}` }));
}

export async function attachmentContent(db: Db, ticketId: string, id: number) {
  const [row] = await db
    .select()
    .from(ticketAttachments)
    .where(and(eq(ticketAttachments.ticketId, ticketId), eq(ticketAttachments.id, id)));
  return row;
}
