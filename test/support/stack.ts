import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import { inject } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app';
import { createApiKey } from '../../src/auth/api-keys';
import type { Role } from '../../src/auth/principal';
import { startChangeFeed, type ChangeFeed } from '../../src/db/change-feed';
import { connectDb, type DbHandle } from '../../src/db/client';
import { createSmtpTransport } from '../../src/mail/transport';
import { MailSink } from '../../src/mail/mail-sink';
import { createWorker } from '../../src/temporal/worker';
import { temporalEntitlementGateway } from '../../src/subscriptions/entitlement-gateway';
import { presetPolicyStore, type PolicyStore } from '../../src/tickets/policy-store';
import { expectReplayable } from './replay-all';
import { vendorPresets, type Customer } from '../../src/domain/accounts/index';

export const TEST_CONTACTS = { teamLeadEmail: 'lead@vendor.test', devTeamEmail: 'dev@vendor.test' };

export interface Stack {
  db: DbHandle;
  mail: MailSink;
  client: Client;
  /** The change feed the app caches under; tests may wait for it to be live. */
  changes: ChangeFeed;
  worker: Worker;
  taskQueue: string;
  app: ReturnType<typeof createApp>;
  /** Requests made with an admin key (every permission), for tests about behaviour rather than access. */
  http: Http;
  /** A new API key of a role (and tenant), as plaintext. */
  key(role: Role, tenantId?: string): Promise<string>;
  /** A customer on record (created through the API), whose contracts name `policies`; returns its id. */
  customer(seed?: CustomerSeed): Promise<string>;
  /** A reseller on record for a vendor; returns its id. */
  reseller(id: string, vendorId?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Test customers accept every address on the domains the tests write from, so a test about deadlines
 * need not list its requesters; tests about who may open tickets pass their own `domains`.
 */
export const TEST_DOMAINS = ['example.test', 'acme.test', 'c.test', 'b.test'];

export interface CustomerSeed extends Partial<Omit<Customer, 'contracts'>> {
  /** One open-ended contract per policy, valid since 2000 so tests on any clock are covered. */
  policies?: string[];
  contracts?: Customer['contracts'];
}

/** The seed vendor selling the first policy (smartwork when none does, e.g. a test policy). */
function vendorOf(policyIds: string[]): string {
  const first = policyIds[0];
  return Object.values(vendorPresets).find((v) => first !== undefined && v.policyIds.includes(first))?.id ?? 'smartwork';
}

export interface Http {
  get(path: string): request.Test;
  post(path: string): request.Test;
  put(path: string): request.Test;
  delete(path: string): request.Test;
  patch(path: string): request.Test;
}

/**
 * An API of its own on a stack's server, database and task queue, with the tests' defaults and `over`
 * on top: for tests about the app's own settings (dead dependencies, a deaf change feed, a fixed clock).
 */
export function testApp(on: { client: Client; db: DbHandle; taskQueue: string }, over: Partial<AppDeps> = {}) {
  const deps = {
    client: on.client,
    db: on.db.db,
    policies: presetPolicyStore(),
    contacts: TEST_CONTACTS,
    log: pino({ level: 'silent' }),
    taskQueue: on.taskQueue,
    rateLimitPerMinute: 1_000_000,
    ...over,
  };
  const { client, db, changes, cacheTtlMs } = deps;
  return createApp({ entitlements: temporalEntitlementGateway({ client, db, changes, cacheTtlMs }), ...deps });
}

/** supertest with `Authorization: Bearer <key>` on every request. */
export function authed(app: ReturnType<typeof createApp>, key: string): Http {
  const bearer = (t: request.Test) => t.set('Authorization', `Bearer ${key}`);
  return {
    get: (path) => bearer(request(app).get(path)),
    post: (path) => bearer(request(app).post(path)),
    put: (path) => bearer(request(app).put(path)),
    delete: (path) => bearer(request(app).delete(path)),
    patch: (path) => bearer(request(app).patch(path)),
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
  // As every deployed API process runs: keys and customers cached under the change feed.
  const changes = startChangeFeed(inject('databaseUrl'));
  const app = createApp({
    changes,
    client,
    db: db.db,
    policies: opts.policies ?? presetPolicyStore(),
    contacts: TEST_CONTACTS,
    entitlements: temporalEntitlementGateway({ client, db: db.db, changes, cacheTtlMs: opts.app?.cacheTtlMs }),
    log: pino({ level: 'silent' }),
    taskQueue,
    now: opts.now,
    rateLimitPerMinute: 1_000_000,
    ...opts.app,
  });
  const key = async (role: Role, tenantId?: string) =>
    (await createApiKey(db.db, { role, tenantId: tenantId ?? null, label: `test ${role}` })).key;
  const http = authed(app, await key('admin'));
  const reseller = async (id: string, vendorId = 'emetrotel') => {
    const res = await http.post('/v1/resellers').send({ id, name: `Reseller ${id}`, vendorId });
    if (res.status !== 201 && res.status !== 409) throw new Error(`reseller ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return id;
  };
  const customer = async (seed: CustomerSeed = {}) => {
    const { policies = [], contracts, ...rest } = seed;
    const id = rest.id ?? `c-${randomUUID().slice(0, 8)}`;
    const body = {
      name: `Customer ${id}`,
      timeZone: 'UTC',
      vendorId: vendorOf(policies.length ? policies : (contracts ?? []).map((c) => c.policyId)),
      domains: TEST_DOMAINS,
      contracts: contracts ?? policies.map((policyId, i) => ({ id: `k${i + 1}`, policyId, validFrom: '2000-01-01T00:00:00Z' })),
      ...rest,
      id,
    };
    if (body.resellerId) await reseller(body.resellerId, body.vendorId);
    const res = await http.post('/v1/customers').send(body);
    if (res.status !== 201) throw new Error(`customer ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return id;
  };
  return {
    db,
    mail,
    client,
    worker,
    taskQueue,
    app,
    http,
    key,
    customer,
    reseller,
    changes,
    async stop() {
      await changes.stop();
      worker.shutdown();
      await running;
      try {
        await expectReplayable(client, taskQueue);
      } finally {
        await nativeConnection.close();
        await connection.close();
        transport.close();
        await mail.stop();
        await db.close();
      }
    },
  };
}
