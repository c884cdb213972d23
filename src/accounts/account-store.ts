import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, resellers } from '../db/schema';
import type { Contract, Customer, InstalledSystem, Reseller } from '../domain/accounts/index';
import type { Device } from '../domain/subscription/user-count';

type CustomerRow = typeof customers.$inferSelect;
type ResellerRow = typeof resellers.$inferSelect;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AccountStore {
  customer(id: string): Promise<Customer | undefined>;
  /** Ordered by id; `resellerId` keeps a reseller to its own end customers. */
  customers(opts: { resellerId?: string; after?: string; limit: number }): Promise<Page<Customer>>;
  /** False when the id is taken (the caller answers 409). */
  createCustomer(c: Customer): Promise<boolean>;
  updateCustomer(id: string, change: (c: Customer) => Customer): Promise<Customer | undefined>;
  reseller(id: string): Promise<Reseller | undefined>;
  resellers(opts: { after?: string; limit: number }): Promise<Page<Reseller>>;
  createReseller(r: Reseller): Promise<boolean>;
  updateReseller(id: string, change: (r: Reseller) => Reseller): Promise<Reseller | undefined>;
}

function toCustomer(r: CustomerRow): Customer {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.timeZone,
    vendorId: r.vendorId,
    ...(r.resellerId ? { resellerId: r.resellerId } : {}),
    contacts: r.contacts,
    domains: r.domains,
    contracts: r.contracts as unknown as Contract[],
    systems: r.systems as unknown as InstalledSystem[],
    devices: r.devices as unknown as Device[],
  };
}

const customerValues = (c: Customer) => ({
  name: c.name,
  timeZone: c.timeZone,
  vendorId: c.vendorId,
  resellerId: c.resellerId ?? null,
  contacts: c.contacts,
  domains: c.domains,
  contracts: c.contracts as unknown as Array<Record<string, unknown>>,
  systems: c.systems as unknown as Array<Record<string, unknown>>,
  devices: (c.devices ?? []) as unknown as Array<Record<string, unknown>>,
});

const toReseller = (r: ResellerRow): Reseller => ({ id: r.id, name: r.name, vendorId: r.vendorId, contacts: r.contacts });

function page<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

const customerQuery = (db: Db) =>
  db
    .select()
    .from(customers)
    .where(eq(customers.id, sql.placeholder('id')))
    .prepare('find_customer');

/**
 * Accounts in PostgreSQL. An update reads and writes the row in one transaction with the row locked,
 * so two concurrent PATCHes of one customer (a contact added, a contract renewed) both land.
 */
export function dbAccountStore(db: Db): AccountStore {
  // Prepared once per store, on first use: every ticket opening reads its customer, and building the
  // query cost more than running it (bench/README.md, intake).
  let customerById: ReturnType<typeof customerQuery> | undefined;
  return {
    async customer(id) {
      customerById ??= customerQuery(db);
      const [row] = await customerById.execute({ id });
      return row ? toCustomer(row) : undefined;
    },
    async customers({ resellerId, after, limit }) {
      const where: SQL[] = [];
      if (resellerId !== undefined) where.push(eq(customers.resellerId, resellerId));
      if (after !== undefined) where.push(gt(customers.id, after));
      const rows = await db
        .select()
        .from(customers)
        .where(and(...where))
        .orderBy(asc(customers.id))
        .limit(limit + 1);
      return page(rows.map(toCustomer), limit);
    },
    async createCustomer(c) {
      const inserted = await db
        .insert(customers)
        .values({ id: c.id, ...customerValues(c) })
        .onConflictDoNothing()
        .returning({ id: customers.id });
      return inserted.length > 0;
    },
    async updateCustomer(id, change) {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(customers).where(eq(customers.id, id)).for('update');
        if (!row) return undefined;
        const next = change(toCustomer(row));
        await tx
          .update(customers)
          .set({ ...customerValues(next), updatedAt: sql`now()` })
          .where(eq(customers.id, id));
        return next;
      });
    },
    async reseller(id) {
      const [row] = await db.select().from(resellers).where(eq(resellers.id, id));
      return row ? toReseller(row) : undefined;
    },
    async resellers({ after, limit }) {
      const rows = await db
        .select()
        .from(resellers)
        .where(after === undefined ? undefined : gt(resellers.id, after))
        .orderBy(asc(resellers.id))
        .limit(limit + 1);
      return page(rows.map(toReseller), limit);
    },
    async createReseller(r) {
      const inserted = await db
        .insert(resellers)
        .values({ id: r.id, name: r.name, vendorId: r.vendorId, contacts: r.contacts })
        .onConflictDoNothing()
        .returning({ id: resellers.id });
      return inserted.length > 0;
    },
    async updateReseller(id, change) {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(resellers).where(eq(resellers.id, id)).for('update');
        if (!row) return undefined;
        const next = change(toReseller(row));
        await tx
          .update(resellers)
          .set({ name: next.name, vendorId: next.vendorId, contacts: next.contacts, updatedAt: sql`now()` })
          .where(eq(resellers.id, id));
        return next;
      });
    },
  };
}
