import 'dotenv/config';
import { loadConfig } from './config';
import { openDatabase } from './runtime/database';
import { createLogger } from './runtime/logger';
import { createSmtpTransport } from './mail/transport';
import { connectWorker } from './temporal/connect';
import { createWorker } from './temporal/worker';

/** The worker process for production-shaped deployments (compose): external Temporal, PostgreSQL, SMTP. */
const config = loadConfig();
const log = createLogger(config, 'worker');
const db = await openDatabase(config, { allowEmbedded: false });
const connection = await connectWorker(config);
const worker = await createWorker({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
  deps: {
    db: db.handle.db,
    transport: createSmtpTransport({ host: config.SMTP_HOST, port: config.SMTP_PORT, secure: config.SMTP_SECURE, user: config.SMTP_USER, password: config.SMTP_PASSWORD }),
    mailFrom: config.MAIL_FROM,
  },
});
log.info({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
await worker.run();
await connection.close();
await db.stop();
