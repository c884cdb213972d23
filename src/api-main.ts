import 'dotenv/config';
import { loadConfig } from './config';
import { createApp } from './api/app';
import { openDatabase } from './runtime/database';
import { createLogger } from './runtime/logger';
import { connectClient } from './temporal/connect';
import { dbPolicyStore } from './tickets/policy-store';
import { temporalEntitlementGateway } from './subscriptions/entitlement-gateway';

/** The API process for production-shaped deployments (compose). */
const config = loadConfig();
const log = createLogger(config, 'api');
const db = await openDatabase(config, { allowEmbedded: false });
const client = await connectClient(config);
const server = createApp({ client, db: db.handle.db, policies: dbPolicyStore(db.handle.db), contacts: { teamLeadEmail: config.TEAM_LEAD_EMAIL, devTeamEmail: config.DEV_TEAM_EMAIL },
    entitlements: temporalEntitlementGateway({ client, db: db.handle.db }), log }).listen(config.API_PORT, config.API_HOST, () => {
  log.info({ port: config.API_PORT }, 'api listening');
});
const stop = () => {
  server.close(() => {
    void client.connection.close().then(() => db.stop()).then(() => process.exit(0));
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
