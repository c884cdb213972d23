import type { Client } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import type { ChangeFeed } from '../../src/db/change-feed';
import type { Db } from '../../src/db/client';
import { temporalEntitlementGateway } from '../../src/subscriptions/entitlement-gateway';
import type { PolicyStore } from '../../src/tickets/policy-store';
import { benchContacts } from './bench-ticket';

/**
 * The API as the benchmarks run it: the real app on the bench's services, silent, and without the per-key
 * rate limit (a product guard, not a cost: a benchmark key would only measure the 429s).
 */
export function benchApp(o: { client: Client; db: Db; policies: PolicyStore; changes: ChangeFeed; taskQueue?: string }) {
  return createApp({
    client: o.client,
    db: o.db,
    policies: o.policies,
    contacts: benchContacts,
    log: pino({ level: 'silent' }),
    rateLimitPerMinute: 1e9,
    // As a deployed API process runs: keys, customers and their coverage served from memory under the
    // change feed, and every opening asking the subscriptions what they cover.
    changes: o.changes,
    entitlements: temporalEntitlementGateway({ client: o.client, db: o.db, changes: o.changes }),
    ...(o.taskQueue ? { taskQueue: o.taskQueue } : {}),
  });
}
