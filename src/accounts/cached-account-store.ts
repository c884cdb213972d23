import type { ChangeFeed, ChangedTable } from '../db/change-feed';
import { DEFAULT_CACHE_TTL_MS, ReadCache } from '../db/read-cache';
import type { Customer, Reseller } from '../domain/accounts/index';
import { dbAccountStore, type AccountStore } from './account-store';
import type { Db } from '../db/client';

/**
 * Every ticket opening reads its customer; under a flood of openings (an outage: every customer writes
 * at once) that read is a round trip per ticket to a database the Temporal server may share. The copy is
 * kept while the change feed is live, so a contract changed by any process stops being used within
 * milliseconds, and at once in the process that changed it.
 */
export function cachedAccountStore(inner: AccountStore, changes: ChangeFeed, ttlMs: number): AccountStore {
  const customers = new ReadCache<Customer>(changes, 'customers', { ttlMs, keyedById: true });
  // A reseller's contacts may open its customers' tickets, so each of their openings reads it.
  const resellers = new ReadCache<Reseller>(changes, 'resellers', { ttlMs, keyedById: true });
  /** A write of this process, applied to its own copies at once: its notification comes a moment later. */
  const announced =
    <A extends [unknown, ...unknown[]], R>(table: ChangedTable, idOf: (first: A[0]) => string, write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await write(...args);
      changes.changed(table, idOf(args[0]));
      return result;
    };
  return {
    ...inner,
    customer: (id) => customers.get(id, () => inner.customer(id)),
    reseller: (id) => resellers.get(id, () => inner.reseller(id)),
    createCustomer: announced('customers', (c) => c.id, inner.createCustomer),
    updateCustomer: announced('customers', (id) => id, inner.updateCustomer),
    createReseller: announced('resellers', (r) => r.id, inner.createReseller),
    updateReseller: announced('resellers', (id) => id, inner.updateReseller),
  };
}

/** The account store a process serves from: cached when it hears the change feed. */
export function accountStoreFor(deps: { db: Db; changes?: ChangeFeed | undefined; cacheTtlMs?: number | undefined }): AccountStore {
  const store = dbAccountStore(deps.db);
  return deps.changes ? cachedAccountStore(store, deps.changes, deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS) : store;
}
