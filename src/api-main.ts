import 'dotenv/config';
import { loadConfig } from './config';
import { ensureBootstrapAdminKey } from './auth/api-keys';
import { createApp } from './api/app';
import { appDeps } from './runtime/app-deps';
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
const deps = appDeps(config, db.handle.db, client, log);
const server = createApp(deps).listen(config.API_PORT, config.API_HOST, () => {
  log.info({ port: config.API_PORT }, 'api listening');
});
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
    void client.connection
      .close()
      .then(() => db.stop())
      .then(() => process.exit(0));
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
