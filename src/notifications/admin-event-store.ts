import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { cursorInstant, decodeCursor, encodeCursor } from '../billing/cursor';
import { BadCursor } from '../billing/billing-store';
import type { Db } from '../db/client';
import { adminEvents, emailOutbox } from '../db/schema';

export type AdminEventRow = typeof adminEvents.$inferSelect;
export type NewAdminEvent = typeof adminEvents.$inferInsert;

/** The outbox key of one administrator's mail of one event: what makes it go out once. */
export const adminEventMailKey = (customerId: string, eventId: string, email: string) => `admin-event:${customerId}:${eventId}:${email}`;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Inserts the event unless its (customer, id) is taken: undefined then, and the stored one is read with adminEvent. */
export async function insertAdminEvent(tx: Tx, event: NewAdminEvent): Promise<AdminEventRow | undefined> {
  const [inserted] = await tx.insert(adminEvents).values(event).onConflictDoNothing().returning();
  return inserted;
}

export async function adminEvent(db: Db, customerId: string, id: string): Promise<AdminEventRow | undefined> {
  const [row] = await db
    .select()
    .from(adminEvents)
    .where(and(eq(adminEvents.customerId, customerId), eq(adminEvents.id, id)));
  return row;
}

/** Newest first; the cursor is the last row's (recordedAt, id). */
export async function listAdminEvents(db: Db, customerId: string, page: { cursor?: string; limit: number }) {
  let after: { at: Date; id: string } | undefined;
  if (page.cursor !== undefined) {
    const parts = decodeCursor(page.cursor, 2);
    const at = parts ? cursorInstant(parts[0]!) : undefined;
    if (!parts || !at) throw new BadCursor();
    after = { at, id: parts[1]! };
  }
  const rows = await db
    .select()
    .from(adminEvents)
    .where(
      and(
        eq(adminEvents.customerId, customerId),
        after
          ? or(lt(adminEvents.recordedAt, after.at), and(eq(adminEvents.recordedAt, after.at), lt(adminEvents.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(adminEvents.recordedAt), desc(adminEvents.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: await presentAdminEvents(db, items),
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.recordedAt.toISOString(), last.id]) : null,
  };
}

/** Events as the API shows them, each recipient with what the outbox says of its mail. */
export async function presentAdminEvents(db: Db, rows: AdminEventRow[]) {
  const keys = rows.flatMap((r) => r.recipients.map((email) => adminEventMailKey(r.customerId, r.id, email)));
  const outbox = keys.length
    ? await db
        .select({ key: emailOutbox.dedupeKey, status: emailOutbox.status })
        .from(emailOutbox)
        .where(inArray(emailOutbox.dedupeKey, keys))
    : [];
  const status = new Map(outbox.map((o) => [o.key, o.status]));
  return rows.map((r) => {
    const recipients = r.recipients.map((email) => ({
      email,
      delivery: status.get(adminEventMailKey(r.customerId, r.id, email)) === 'sent' ? ('sent' as const) : ('pending' as const),
    }));
    const notified = r.notifyStatus !== 'queued' ? 'not_sent' : recipients.every((x) => x.delivery === 'sent') ? 'sent' : 'sending';
    return {
      id: r.id,
      customerId: r.customerId,
      systemId: r.systemId,
      severity: r.severity,
      title: r.title,
      detail: r.detail,
      occurredAt: r.occurredAt.toISOString(),
      recordedAt: r.recordedAt.toISOString(),
      notification: {
        status: notified,
        code: r.notifyCode,
        detail: r.notifyDetail,
        subscriptionId: r.subscriptionId,
        recipients,
      },
    };
  });
}
