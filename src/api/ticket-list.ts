import { and, desc, eq, exists, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import { ticketEvents, tickets } from '../db/schema';
import { Problem } from './problem';
import type { listTicketsQuery } from './ticket-schemas';
import { presentTicketRow } from './ticket-scope';

type Query = z.output<typeof listTicketsQuery>;

/** Opaque to clients: the (openedAt, id) of the last item, so pages stay stable while tickets arrive. */
function encodeCursor(openedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([openedAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    // Forged cursors are client input too: an instant PostgreSQL can hold, an id that could be a ticket's.
    const ms = typeof at === 'string' ? Date.parse(at) : NaN;
    const plausible = Number.isFinite(ms) && ms >= 0 && ms < Date.parse('2200-01-01T00:00:00Z');
    if (plausible && typeof id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(id)) return { at: new Date(ms), id };
  } catch {
    // falls through to the problem below
  }
  throw new Problem(422, 'validation_failed', 'The request query is invalid.', [
    { path: 'query.cursor', message: 'not a cursor from a previous page' },
  ]);
}

/** The tenant's own tickets only: the scope is a condition of the query, not a filter after it. */
function scope(p: Principal): SQL | undefined {
  if (p.role === 'customer') return eq(tickets.customerId, p.tenantId ?? '');
  if (p.role === 'reseller') return eq(tickets.resellerId, p.tenantId ?? '');
  return undefined;
}

export async function listTickets(db: Db, principal: Principal, q: Query) {
  const limit = q.limit ?? 50;
  const breach = exists(
    db
      .select({ one: sql`1` })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, tickets.id), eq(ticketEvents.kind, 'breach'))),
  );
  const conds: Array<SQL | undefined> = [
    scope(principal),
    q.status ? eq(tickets.status, q.status) : undefined,
    q.priority ? eq(tickets.priority, q.priority) : undefined,
    q.customerId ? eq(tickets.customerId, q.customerId) : undefined,
    q.slaState ? eq(tickets.slaState, q.slaState) : undefined,
    q.policyId ? eq(tickets.policyId, q.policyId) : undefined,
    q.breached === undefined ? undefined : q.breached ? breach : sql`not ${breach}`,
    q.openedAfter ? gt(tickets.openedAt, new Date(q.openedAfter)) : undefined,
    q.openedBefore ? lt(tickets.openedAt, new Date(q.openedBefore)) : undefined,
  ];
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    conds.push(or(lt(tickets.openedAt, c.at), and(eq(tickets.openedAt, c.at), lt(tickets.id, c.id))));
  }
  const rows = await db
    .select()
    .from(tickets)
    .where(and(...conds))
    .orderBy(desc(tickets.openedAt), desc(tickets.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(presentTicketRow), nextCursor: rows.length > limit && last ? encodeCursor(last.openedAt, last.id) : null };
}
