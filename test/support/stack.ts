import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { inject } from 'vitest';
import { createApp } from '../../src/api/app';
import { connectDb, type DbHandle } from '../../src/db/client';
import { createSmtpTransport } from '../../src/mail/transport';
import { MailSink } from '../../src/mail/mail-sink';
import { createWorker } from '../../src/temporal/worker';
import { temporalEntitlementGateway } from '../../src/subscriptions/entitlement-gateway';
import { presetPolicyStore, type PolicyStore } from '../../src/tickets/policy-store';

export const TEST_CONTACTS = { teamLeadEmail: 'lead@vendor.test', devTeamEmail: 'dev@vendor.test' };

export interface Stack {
  db: DbHandle;
  mail: MailSink;
  client: Client;
  worker: Worker;
  taskQueue: string;
  app: ReturnType<typeof createApp>;
  stop(): Promise<void>;
}

/**
 * The real thing for one test file: the shared dev server, the shared PostgreSQL database, a fresh
 * SMTP server, and a worker on a task queue of its own so files never steal each other's tasks.
 */
export async function startStack(opts: { policies?: PolicyStore; now?: () => number } = {}): Promise<Stack> {
  const address = inject('temporalAddress');
  const db = connectDb(inject('databaseUrl'), { max: 5 });
  const mail = new MailSink();
  const smtpPort = await mail.start();
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: nativeConnection,
    taskQueue,
    deps: { db: db.db, transport: createSmtpTransport({ host: '127.0.0.1', port: smtpPort }), mailFrom: 'Support <support@test.local>' },
    workflowBundle: { code: inject('workflowCode') },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const app = createApp({ client, db: db.db, policies: opts.policies ?? presetPolicyStore(), contacts: TEST_CONTACTS, entitlements: temporalEntitlementGateway({ client, db: db.db }), log: pino({ level: 'silent' }), taskQueue, now: opts.now });
  return {
    db,
    mail,
    client,
    worker,
    taskQueue,
    app,
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await mail.stop();
      await db.close();
    },
  };
}
