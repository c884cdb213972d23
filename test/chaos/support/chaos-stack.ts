import postgres from 'postgres';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freshDatabase, staffApiKey } from '../../../bench/harness/bench-db';
import { serviceEnv, startWorkerProcess } from '../../../bench/harness/bench-stack';
import { wallClockPolicy } from '../../../bench/harness/bench-ticket';
import { jsonHeaders } from '../../../bench/harness/http';
import { REPO_ROOT, startTsx, type Child } from '../../../bench/harness/child-process';
import type { DbHandle } from '../../../src/db/client';
import { policies } from '../../../src/db/schema';
import { MailSink } from '../../../src/mail/mail-sink';
import { writeWorkflowBundle } from '../../../src/temporal/workflow-bundle';
import { TemporalProcess } from './temporal-process';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export const chaosSettings = {
  databaseUrl: process.env.CHAOS_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/supportflow_chaos',
  temporalPort: num('CHAOS_TEMPORAL_PORT', 17243),
  apiPort: num('CHAOS_API_PORT', 13010),
  smtpPort: num('CHAOS_SMTP_PORT', 12535),
  /** `pg_ctlcluster <version> <name>`: the system PostgreSQL the stack uses. */
  pgCluster: (process.env.CHAOS_PG_CLUSTER ?? '15 main').split(' '),
  firstResponseMs: num('CHAOS_FIRST_RESPONSE_S', 15) * 1000,
  policyId: 'chaos-wall-clock',
  /** Every load requester writes from this domain (chaos-N@chaos.test), which each fault's customer lists. */
  requesterDomain: 'chaos.test',
};

/**
 * The production-shaped stack with every process ours to kill: the Temporal dev server on a persistent
 * file, the shipped worker and API entry points as child processes, an SMTP server in this process and
 * the system PostgreSQL. The chaos policy (wall-clock first response) is stored like any admin's policy.
 */
export class ChaosStack {
  readonly dir = join(tmpdir(), `supportflow-chaos-${Date.now()}`);
  readonly temporal = new TemporalProcess(chaosSettings.temporalPort, join(this.dir, 'temporal.db'), join(this.dir, 'temporal.log'));
  readonly mail = new MailSink('127.0.0.1');
  db!: DbHandle;
  client!: Client;
  worker!: Child;
  api!: Child;
  apiKey!: string;

  get bundlePath(): string {
    return join(this.dir, 'workflow-bundle.js');
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${chaosSettings.apiPort}`;
  }

  private env() {
    return {
      ...serviceEnv({ temporalAddress: this.temporal.address, databaseUrl: chaosSettings.databaseUrl, smtpPort: chaosSettings.smtpPort }),
      API_PORT: String(chaosSettings.apiPort),
      API_HOST: '127.0.0.1',
      // The faults are about dependencies: a minute of outage leaves ~120 clients retrying every 2 s, which
      // the default per-key rate limit would (honestly) answer with 429 and blur what the suite measures.
      RATE_LIMIT_PER_MINUTE: '100000',
      // As the image runs it: every worker (re)start loads the bundle built once in start().
      WORKFLOW_BUNDLE_PATH: this.bundlePath,
    };
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await writeWorkflowBundle(this.bundlePath);
    this.db = await freshDatabase(chaosSettings.databaseUrl);
    this.apiKey = await staffApiKey(this.db.db);
    await this.db.db
      .insert(policies)
      .values({ id: chaosSettings.policyId, version: 1, spec: wallClockPolicy(chaosSettings.policyId, chaosSettings.firstResponseMs) });
    await this.temporal.start();
    await this.mail.start(chaosSettings.smtpPort);
    this.client = new Client({ connection: await Connection.connect({ address: this.temporal.address }) });
    await this.startWorker();
    this.api = await startTsx('api', join(REPO_ROOT, 'src', 'api-main.ts'), this.env(), /api listening/);
  }

  /**
   * A customer on record through `POST /v1/customers`, as staff would create it: every address on the
   * load's domain may open its tickets, and its one contract is on the chaos policy. Created before a
   * fault's load starts, with every dependency up; a 409 is a creation whose answer was lost.
   */
  async customer(id: string): Promise<void> {
    const body = JSON.stringify({
      id,
      name: `Chaos customer ${id}`,
      timeZone: 'UTC',
      vendorId: 'smartwork',
      domains: [chaosSettings.requesterDomain],
      contracts: [{ id: 'chaos-contract', policyId: chaosSettings.policyId, validFrom: '2000-01-01T00:00:00Z' }],
    });
    const until = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${this.apiUrl}/v1/customers`, {
        method: 'POST',
        headers: jsonHeaders(this.apiKey),
        body,
        signal: AbortSignal.timeout(10_000),
      }).catch((err: unknown) => err as Error);
      if (!(res instanceof Error) && (res.status === 201 || res.status === 409)) return;
      const why = res instanceof Error ? res.message : `${res.status} ${await res.text().catch(() => '')}`;
      if (Date.now() > until || (!(res instanceof Error) && res.status < 500)) throw new Error(`creating customer ${id}: ${why}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  async startWorker(): Promise<void> {
    this.worker = await startWorkerProcess(this.env());
  }

  /**
   * Asynchronous on purpose: the load generator runs in this process, and a blocking call here would
   * freeze its clients so that their own timeouts fire on answers already waiting in the socket.
   */
  async pg(action: 'stop' | 'start'): Promise<void> {
    const [version = '15', name = 'main'] = chaosSettings.pgCluster;
    const args = ['pg_ctlcluster', ...(action === 'stop' ? [version, name, 'stop', '-m', 'fast'] : [version, name, 'start'])];
    // As root (CI) directly, else through sudo like scripts/setup-machine.sh.
    const [cmd, ...rest] = process.getuid?.() === 0 ? args : ['sudo', ...args];
    await promisify(execFile)(cmd as string, rest);
  }

  /**
   * Disk full, as the application sees it: the database refuses every write (read-only sessions,
   * SQLSTATE 25006) while reads go on. Existing sessions are ended so the pools reconnect under the
   * new default, as they would after the storage filled up. Only this run's database is touched.
   */
  async pgWrites(allowed: boolean): Promise<void> {
    const url = new URL(chaosSettings.databaseUrl);
    const dbName = url.pathname.slice(1);
    url.pathname = '/postgres';
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(
        `alter database "${dbName}" ${allowed ? 'reset default_transaction_read_only' : 'set default_transaction_read_only = on'}`,
      );
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`;
    } finally {
      await sql.end();
    }
  }

  async stop(): Promise<void> {
    const steps: Array<() => Promise<unknown>> = [
      () => this.api?.kill() ?? Promise.resolve(),
      () => this.worker?.kill() ?? Promise.resolve(),
      () => this.client?.connection.close() ?? Promise.resolve(),
      () => this.mail.stop(),
      () => this.temporal.kill('SIGTERM'),
      () => this.db?.close() ?? Promise.resolve(),
    ];
    for (const step of steps) await step().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
