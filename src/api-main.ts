import 'dotenv/config';
import { loadConfig } from './config';
import { ensureBootstrapAdminKey } from './auth/api-keys';
import { createApp } from './api/app';
import { appDeps, changeFeedFor } from './runtime/app-deps';
import { openDatabase } from './runtime/database';
import { createLogger } from './runtime/logger';
import { connectClient } from './temporal/connect';
import { deliverInbound } from './conversation/inbound-mail';
import { InboundSmtp } from './mail/inbound-server';
import { inboundOpener } from './runtime/inbound-opener';

/** The API process for production-shaped deployments (compose). */
const config = loadConfig();
const log = createLogger(config, 'api');
const db = await openDatabase(config, { allowEmbedded: false });
const client = await connectClient(config);
// Production never prints a generated key: the bootstrap admin exists only when ADMIN_API_KEY is set.
if (config.ADMIN_API_KEY) await ensureBootstrapAdminKey(db.handle.db, config.ADMIN_API_KEY);
const changes = changeFeedFor(config, db, log);
const deps = appDeps(config, db.handle.db, client, log, changes);
const server = createApp(deps).listen(config.API_PORT, config.API_HOST, () => {
  log.info({ port: config.API_PORT }, 'api listening');
});
// Longer than a load balancer keeps an idle connection (60 s is common): with Node's 5 s the API would
// close sockets the balancer still reuses, and callers would see sporadic resets.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const inbound = config.INBOUND_SMTP_PORT
  ? new InboundSmtp(
      (mail) => deliverInbound({ db: db.handle.db, client, opener: inboundOpener(deps), ownDomain: config.MAIL_DOMAIN }, mail),
      config.API_HOST,
    )
  : undefined;
if (inbound && config.INBOUND_SMTP_PORT) {
  await inbound.start(config.INBOUND_SMTP_PORT);
  log.info({ port: config.INBOUND_SMTP_PORT }, 'inbound smtp listening');
}
const stop = () => {
  void inbound?.stop();
  server.close(() => {
    void Promise.resolve(changes?.stop())
      .then(() => client.connection.close())
      .then(() => db.stop())
      .then(() => process.exit(0));
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
