import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AppDeps } from '../api/app';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { temporalEntitlementGateway } from '../subscriptions/entitlement-gateway';
import { dbPolicyStore } from '../tickets/policy-store';

/** The API's dependencies as every deployed process wires them: stored policies, real entitlements. */
export function appDeps(config: Config, db: Db, client: Client, log: Logger): AppDeps {
  return {
    client,
    db,
    log,
    policies: dbPolicyStore(db),
    contacts: { teamLeadEmail: config.TEAM_LEAD_EMAIL, devTeamEmail: config.DEV_TEAM_EMAIL },
    entitlements: temporalEntitlementGateway({ client, db }),
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    ...(config.CONSOLE_SESSION_SECRET ? { consoleSecret: config.CONSOLE_SESSION_SECRET } : {}),
    requestTimeoutMs: config.API_REQUEST_TIMEOUT_MS,
    temporalTimeoutMs: Math.max(250, config.API_REQUEST_TIMEOUT_MS - 750),
  };
}
