import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AppDeps } from '../api/app';
import type { Config } from '../config';
import { startChangeFeed, type ChangeFeed } from '../db/change-feed';
import type { Db } from '../db/client';
import type { Database } from './database';
import { temporalEntitlementGateway } from '../subscriptions/entitlement-gateway';
import { dbPolicyStore } from '../tickets/policy-store';

/**
 * The change feed an API process caches keys, customers and their coverage under, on a connection of its own; none on
 * embedded PGlite (it serves one connection) or with API_CACHE_TTL_MS=0.
 */
export function changeFeedFor(config: Config, db: Database, log: Logger): ChangeFeed | undefined {
  if (db.embedded || config.API_CACHE_TTL_MS === 0) return undefined;
  return startChangeFeed(db.url, (live, err) => {
    if (live) log.info('change feed live: API keys, customers and coverage served from memory');
    else log.warn({ err }, 'change feed down: API keys, customers and coverage read from PostgreSQL until it is back');
  });
}

/** The API's dependencies as every deployed process wires them: stored policies, real entitlements. */
export function appDeps(config: Config, db: Db, client: Client, log: Logger, changes?: ChangeFeed): AppDeps {
  return {
    client,
    db,
    log,
    ...(changes ? { changes, cacheTtlMs: config.API_CACHE_TTL_MS } : {}),
    policies: dbPolicyStore(db),
    contacts: { teamLeadEmail: config.TEAM_LEAD_EMAIL, devTeamEmail: config.DEV_TEAM_EMAIL },
    entitlements: temporalEntitlementGateway({ client, db, changes, cacheTtlMs: config.API_CACHE_TTL_MS }),
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    ...(config.CONSOLE_SESSION_SECRET ? { consoleSecret: config.CONSOLE_SESSION_SECRET } : {}),
    requestTimeoutMs: config.API_REQUEST_TIMEOUT_MS,
    temporalTimeoutMs: Math.max(250, config.API_REQUEST_TIMEOUT_MS - 750),
  };
}
