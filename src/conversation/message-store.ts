import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ticketEvents, ticketMessages } from '../db/schema';
import { DEFAULT_MAIL_DOMAIN, messageIdOf, ticketMailKey } from './message-id';
import { attachmentsOf } from './attachment-store';
import { AuthorKind, MessageChannel, MessageKind, Visibility } from './message-types';

type Row = typeof ticketMessages.$inferSelect;

export function presentMessage(r: Row) {
  return {
    id: r.id,
    key: r.messageKey,
    kind: r.kind as MessageKind,
    author: { kind: r.authorKind as AuthorKind, name: r.authorName, email: r.authorEmail },
    visibility: r.visibility as Visibility,
    channel: r.channel as MessageChannel,
    to: r.toAddress,
    subject: r.subject,
    text: r.body,
    html: r.html,
    attachments: r.attachments,
    messageId: r.messageId,
    eventKey: r.eventKey,
    at: r.at.toISOString(),
  };
}
export type MessageView = ReturnType<typeof presentMessage>;

/** A ticket's messages in the order they happened; `publicOnly` for customer and reseller keys. */
export async function messagesOf(db: Db, ticketId: string, opts: { publicOnly: boolean }): Promise<MessageView[]> {
  const where = opts.publicOnly
    ? and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.visibility, Visibility.Public))
    : eq(ticketMessages.ticketId, ticketId);
  const rows = await db.select().from(ticketMessages).where(where).orderBy(asc(ticketMessages.at), asc(ticketMessages.id));
  // A customer's files are kept by the mail's Message-ID, which its message row carries too.
  const files = await attachmentsOf(db, ticketId);
  return rows.map((r) => {
    const m = presentMessage(r);
    const own = files.filter((f) => f.messageId === r.messageId);
    return own.length ? { ...m, attachments: own.map((f) => ({ name: f.name, contentType: f.contentType, size: f.size, url: f.url })) } : m;
  });
}

/**
 * A staff note: an API write, not a workflow action (it changes no clock and mails nobody), so the row and
 * its timeline event are written here in one transaction. `key` comes from the Idempotency-Key when there is
 * one, so a retried request writes one note.
 */
export async function addNote(
  db: Db,
  ticketId: string,
  note: { agent: string; text: string; key?: string; at: number },
  domain = DEFAULT_MAIL_DOMAIN,
): Promise<MessageView> {
  const eventKey = `note:${note.key ?? randomUUID()}`;
  return db.transaction(async (tx) => {
    await tx
      .insert(ticketEvents)
      .values({ ticketId, eventKey, kind: 'note', at: new Date(note.at), data: { actor: note.agent, visibility: Visibility.Internal } })
      .onConflictDoNothing();
    await tx
      .insert(ticketMessages)
      .values({
        ticketId,
        messageKey: eventKey,
        eventKey,
        kind: MessageKind.InternalNote,
        authorKind: AuthorKind.Staff,
        authorName: note.agent,
        visibility: Visibility.Internal,
        channel: MessageChannel.Internal,
        body: note.text,
        messageId: messageIdOf(ticketMailKey(ticketId, eventKey), domain),
        at: new Date(note.at),
      })
      .onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(ticketMessages)
      .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.messageKey, eventKey)));
    return presentMessage(row!);
  });
}
