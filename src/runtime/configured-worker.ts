import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { createSmtpTransport } from '../mail/transport';
import { createWorker } from '../temporal/worker';

/** The worker's tuning as configured; the benchmark's baseline worker reads it through here too. */
export function tuningOf(config: Config): { maxCachedWorkflows: number; maxConcurrentWorkflowTasks: number } {
  return {
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
  };
}

/**
 * The worker as every deployed process runs it: configured cache bound, SMTP and sender from config.
 * `close` ends the pooled SMTP connections once the worker has stopped.
 */
export async function configuredWorker(
  config: Config,
  connection: NativeConnection,
  db: Db,
): Promise<{ worker: Worker; close: () => void }> {
  const transport = createSmtpTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    user: config.SMTP_USER,
    password: config.SMTP_PASSWORD,
  });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    ...tuningOf(config),
    ...(config.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } } : {}),
    deps: {
      db,
      transport,
      mailFrom: config.MAIL_FROM,
      mailDomain: config.MAIL_DOMAIN,
    },
  });
  return { worker, close: () => transport.close() };
}
