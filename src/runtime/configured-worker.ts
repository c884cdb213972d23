import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { createSmtpTransport } from '../mail/transport';
import { createWorker } from '../temporal/worker';

/** The worker as every deployed process runs it: configured cache bound, SMTP and sender from config. */
export function configuredWorker(config: Config, connection: NativeConnection, db: Db): Promise<Worker> {
  return createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    deps: {
      db,
      transport: createSmtpTransport({ host: config.SMTP_HOST, port: config.SMTP_PORT, secure: config.SMTP_SECURE, user: config.SMTP_USER, password: config.SMTP_PASSWORD }),
      mailFrom: config.MAIL_FROM,
    },
  });
}
