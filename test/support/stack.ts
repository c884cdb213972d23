import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import { inject } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app';
import { createApiKey } from '../../src/auth/api-keys';
import type { Role } from '../../src/auth/principal';
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
  /** Requests made with an admin key (every permission), for tests about behaviour rather than access. */
  http: Http;
  /** A new API key of a role (and tenant), as plaintext. */
  key(role: Role, tenantId?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface Http {
  get(path: string): request.Test;
  post(path: string): request.Test;
  put(path: string): request.Test;
  delete(path: string): request.Test;
}

/** supertest with `Authorization: Bearer <key>` on every request. */
export function authed(app: ReturnType<typeof createApp>, key: string): Http {
  const bearer = (t: request.Test) => t.set('Authorization', `Bearer ${key}`);
  return {
    get: (path) => bearer(request(app).get(path)),
    post: (path) => bearer(request(app).post(path)),
    put: (path) => bearer(request(app).put(path)),
    delete: (path) => bearer(request(app).delete(path)),
  };
}

/**
 * The real thing for one test file: the shared dev server, the shared PostgreSQL database, a fresh
 * SMTP server, and a worker on a task queue of its own so files never steal each other's tasks.
 */
export async function startStack(opts: { policies?: PolicyStore; now?: () => number; app?: Partial<AppDeps> } = {}): Promise<Stack> {
  const address = inject('temporalAddress');
  const db = connectDb(inject('databaseUrl'), { max: 5 });
  const mail = new MailSink();
  const smtpPort = await mail.start();
  const transport = createSmtpTransport({ host: '127.0.0.1', port: smtpPort });
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: nativeConnection,
    taskQueue,
    deps: { db: db.db, transport, mailFrom: 'Support <support@test.local>' },
    workflowBundle: { code: inject('workflowCode') },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const app = createApp({
    client,
    db: db.db,
    policies: opts.policies ?? presetPolicyStore(),
    contacts: TEST_CONTACTS,
    entitlements: temporalEntitlementGateway({ client, db: db.db }),
    log: pino({ level: 'silent' }),
    taskQueue,
    now: opts.now,
    rateLimitPerMinute: 1_000_000,
    ...opts.app,
  });
  const key = async (role: Role, tenantId?: string) =>
    (await createApiKey(db.db, { role, tenantId: tenantId ?? null, label: `test ${role}` })).key;
  return {
    db,
    mail,
    client,
    worker,
    taskQueue,
    app,
    http: authed(app, await key('admin')),
    key,
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      transport.close();
      await mail.stop();
      await db.close();
    },
  };
}
