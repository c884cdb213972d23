import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { tickets, ticketTimeEntries } from '../db/schema';

export interface TimeEntry {
  id: number;
  minutes: number;
  note: string;
  author: string;
  at: string;
  /** The invoice that billed it (hourly tickets, once resolved); null while unbilled or on a covered ticket. */
  billedInvoiceKey: string | null;
}

const present = (r: typeof ticketTimeEntries.$inferSelect): TimeEntry => ({
  id: r.id,
  minutes: r.minutes,
  note: r.note,
  author: r.author,
  at: r.at.toISOString(),
  billedInvoiceKey: r.billedInvoiceKey,
});

/** Undefined when the ticket has no row yet (its workflow has not recorded it): nothing to book on. */
export async function recordTime(
  db: Db,
  ticketId: string,
  e: { minutes: number; note: string; author: string; at: number },
): Promise<TimeEntry | undefined> {
  const [ticket] = await db.select({ customerId: tickets.customerId }).from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) return undefined;
  const [row] = await db
    .insert(ticketTimeEntries)
    .values({ ticketId, customerId: ticket.customerId, minutes: e.minutes, note: e.note, author: e.author, at: new Date(e.at) })
    .returning();
  return row ? present(row) : undefined;
}

export async function timeOf(db: Db, ticketId: string): Promise<{ items: TimeEntry[]; totalMinutes: number; unbilledMinutes: number }> {
  const rows = await db.select().from(ticketTimeEntries).where(eq(ticketTimeEntries.ticketId, ticketId)).orderBy(asc(ticketTimeEntries.id));
  const items = rows.map(present);
  const sum = (xs: TimeEntry[]) => xs.reduce((s, x) => s + x.minutes, 0);
  return { items, totalMinutes: sum(items), unbilledMinutes: sum(items.filter((i) => i.billedInvoiceKey === null)) };
}
