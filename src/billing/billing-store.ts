import { and, asc, eq, gt, inArray, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { charges, customers, invoices, subscriptions } from '../db/schema';
import { formatMoney, type SubscriptionState, type SubscriptionStatus } from '../domain/subscription';
import { cursorInstant, decodeCursor, encodeCursor } from './cursor';

/** Whose rows a caller may read: a customer key its own, a reseller key its end customers'. */
export interface Scope {
  customerId?: string;
  resellerId?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A cursor that did not come from a previous page (the API answers 422). */
export class BadCursor extends Error {}

type ChargeRow = typeof charges.$inferSelect;
type InvoiceRow = typeof invoices.$inferSelect;

/** A line as a customer reads it on a statement: what, for which period, how much, in what. */
export function presentCharge(c: ChargeRow) {
  return {
    key: c.key,
    invoiceKey: c.invoiceKey,
    kind: c.kind,
    description: c.description,
    amountMinor: c.amountMinor,
    currency: c.currency,
    amount: formatMoney(c.amountMinor, c.currency),
    period: c.periodStart && c.periodEnd ? { start: c.periodStart.toISOString(), end: c.periodEnd.toISOString() } : null,
    quantity: c.quantity,
    subscriptionId: c.subscriptionId,
    ticketId: c.ticketId,
    paymentReference: c.paymentReference,
    refersTo: c.refersTo,
    catalogVersion: c.catalogVersion,
    at: c.at.toISOString(),
  };
}

function presentInvoice(i: InvoiceRow, lines: ChargeRow[]) {
  return {
    key: i.key,
    subscriptionId: i.subscriptionId,
    ticketId: i.ticketId,
    customerId: i.customerId,
    currency: i.currency,
    totalMinor: i.totalMinor,
    total: formatMoney(i.totalMinor, i.currency),
    issuedAt: i.issuedAt.toISOString(),
    purchaseOrder: i.purchaseOrder,
    instalments: i.instalments.map((x) => ({ dueAt: x.dueAt, amountMinor: x.amountMinor })),
    lines: lines.map(presentCharge),
  };
}

/** The tenants of a customer on record; undefined when there is none. */
export async function customerOwner(db: Db, id: string) {
  const [row] = await db.select({ id: customers.id, resellerId: customers.resellerId }).from(customers).where(eq(customers.id, id));
  return row ? { customerId: row.id, resellerId: row.resellerId } : undefined;
}

/**
 * The tenants of a subscription: its customer and the reseller that customer bought through. Until the
 * workflow's first snapshot lands, the invoice it wrote first names the customer.
 */
export async function subscriptionOwner(db: Db, id: string) {
  const [row] = await db
    .select({ customerId: subscriptions.customerId, resellerId: customers.resellerId })
    .from(subscriptions)
    .leftJoin(customers, eq(customers.id, subscriptions.customerId))
    .where(eq(subscriptions.id, id));
  if (row) return row;
  const [invoice] = await db
    .select({ customerId: invoices.customerId, resellerId: customers.resellerId })
    .from(invoices)
    .leftJoin(customers, eq(customers.id, invoices.customerId))
    .where(eq(invoices.subscriptionId, id))
    .limit(1);
  return invoice;
}

export interface SubscriptionFilter {
  customerId?: string;
  resellerId?: string;
  status?: SubscriptionStatus;
  planId?: string;
  cursor?: string;
  limit: number;
}

/** Subscriptions by id; the scope is a condition of the query, not a filter after it. */
export async function listSubscriptions(db: Db, scope: Scope, f: SubscriptionFilter): Promise<Page<SubscriptionState>> {
  const after = f.cursor === undefined ? undefined : decodeCursor(f.cursor, 1)?.[0];
  if (f.cursor !== undefined && after === undefined) throw new BadCursor();
  const conds: Array<SQL | undefined> = [
    scope.customerId === undefined ? undefined : eq(subscriptions.customerId, scope.customerId),
    scope.resellerId === undefined ? undefined : eq(customers.resellerId, scope.resellerId),
    f.customerId === undefined ? undefined : eq(subscriptions.customerId, f.customerId),
    f.resellerId === undefined ? undefined : eq(customers.resellerId, f.resellerId),
    f.status === undefined ? undefined : eq(subscriptions.status, f.status),
    f.planId === undefined ? undefined : eq(subscriptions.planId, f.planId),
    after === undefined ? undefined : gt(subscriptions.id, after),
  ];
  const rows = await db
    .select({ id: subscriptions.id, state: subscriptions.state })
    .from(subscriptions)
    .leftJoin(customers, eq(customers.id, subscriptions.customerId))
    .where(and(...conds))
    .orderBy(asc(subscriptions.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => r.state as unknown as SubscriptionState),
    nextCursor: rows.length > f.limit && last ? encodeCursor([last.id]) : null,
  };
}

/** Every invoice of a subscription, oldest first, each with its lines in the order they were billed. */
export async function subscriptionInvoices(db: Db, subscriptionId: string) {
  const rows = await db
    .select()
    .from(invoices)
    .where(eq(invoices.subscriptionId, subscriptionId))
    .orderBy(asc(invoices.issuedAt), asc(invoices.key));
  const keys = rows.map((r) => r.key);
  const lines = keys.length ? await db.select().from(charges).where(inArray(charges.invoiceKey, keys)) : [];
  const lineIndex = (c: ChargeRow) => Number(c.key.slice(c.key.lastIndexOf('#') + 1));
  return rows.map((i) =>
    presentInvoice(
      i,
      lines.filter((c) => c.invoiceKey === i.key).sort((a, b) => lineIndex(a) - lineIndex(b) || a.key.localeCompare(b.key)),
    ),
  );
}

/**
 * A customer's statement: every charge, of its subscriptions and of its tickets (000's emergency
 * ticket, 004's hourly work) alike, refunds as negative lines naming what they give back; oldest first.
 */
export async function customerCharges(db: Db, customerId: string, page: { cursor?: string; limit: number }) {
  let after: { at: Date; key: string } | undefined;
  if (page.cursor !== undefined) {
    const parts = decodeCursor(page.cursor, 2);
    const at = parts ? cursorInstant(parts[0]!) : undefined;
    if (!parts || !at) throw new BadCursor();
    after = { at, key: parts[1]! };
  }
  const rows = await db
    .select()
    .from(charges)
    .where(
      and(
        eq(charges.customerId, customerId),
        after ? or(gt(charges.at, after.at), and(eq(charges.at, after.at), gt(charges.key, after.key))) : undefined,
      ),
    )
    .orderBy(asc(charges.at), asc(charges.key))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(presentCharge),
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.at.toISOString(), last.key]) : null,
  };
}

/** The states of a customer's subscriptions, from which its feature set is derived. */
export async function customerSubscriptionStates(db: Db, customerId: string): Promise<SubscriptionState[]> {
  const rows = await db
    .select({ state: subscriptions.state })
    .from(subscriptions)
    .where(eq(subscriptions.customerId, customerId))
    .orderBy(asc(subscriptions.id));
  return rows.map((r) => r.state as unknown as SubscriptionState);
}
