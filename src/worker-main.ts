import 'dotenv/config';
import { loadConfig } from './config';
import { openDatabase } from './runtime/database';
import { configuredWorker } from './runtime/configured-worker';
import { createLogger } from './runtime/logger';
import { connectWorker } from './temporal/connect';

/** The worker process for production-shaped deployments (compose): external Temporal, PostgreSQL, SMTP. */
const config = loadConfig();
const log = createLogger(config, 'worker');
const db = await openDatabase(config, { allowEmbedded: false });
const connection = await connectWorker(config);
const { worker, close } = await configuredWorker(config, connection, db.handle.db);
log.info({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
await worker.run();
close();
await connection.close();
await db.stop();
