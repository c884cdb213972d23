import type { ChangeFeed } from '../db/change-feed';
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
  return {
    ...inner,
    customer: (id) => customers.get(id, () => inner.customer(id)),
    reseller: (id) => resellers.get(id, () => inner.reseller(id)),
    async createReseller(r) {
      const created = await inner.createReseller(r);
      changes.changed('resellers', r.id);
      return created;
    },
    async updateReseller(id, change) {
      const updated = await inner.updateReseller(id, change);
      changes.changed('resellers', id);
      return updated;
    },
    async createCustomer(c) {
      const created = await inner.createCustomer(c);
      changes.changed('customers', c.id);
      return created;
    },
    async updateCustomer(id, change) {
      const updated = await inner.updateCustomer(id, change);
      changes.changed('customers', id);
      return updated;
    },
  };
}

/** The account store a process serves from: cached when it hears the change feed. */
export function accountStoreFor(deps: { db: Db; changes?: ChangeFeed | undefined; cacheTtlMs?: number | undefined }): AccountStore {
  const store = dbAccountStore(deps.db);
  return deps.changes ? cachedAccountStore(store, deps.changes, deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS) : store;
}
