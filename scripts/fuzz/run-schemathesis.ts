/**
 * `tsx scripts/fuzz/run-schemathesis.ts`: an independent fuzzer on the served OpenAPI document.
 *
 * Brings up the real stack as `npm run dev` does (Temporal dev server, SMTP sink, worker, API) but on
 * free ports, against its own freshly created PostgreSQL database, creates a staff key and a customer
 * key, and runs `schemathesis run` against /v1/openapi.json once with each key: every check, every
 * phase (examples, coverage, fuzzing, stateful through the document's links), a bounded number of
 * examples per operation. Exits non-zero when either run finds a failure.
 *
 * Environment: FUZZ_DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/supportflow_fuzz,
 * dropped and recreated), FUZZ_MAX_EXAMPLES (default 15 per operation; the stateful phase's own bound
 * is in schemathesis.toml), FUZZ_SEED (fixed by default, so a run is repeatable), FUZZ_WORKERS (default
 * 1), FUZZ_OUT_DIR (default .data/fuzz: reports, server log, summary.json), FUZZ_ARGS (more
 * `schemathesis run` arguments, space-separated), SCHEMATHESIS (an existing executable instead of the
 * cached venv), FUZZ_SERVE=1 (start the stack, write the keys to keys.env and wait for Ctrl-C instead
 * of fuzzing, to reproduce a failure with curl).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { createApiKey } from '../../src/auth/api-keys';
import { loadConfig } from '../../src/config';
import { startDevTemporal } from '../../src/infra/dev-temporal';
import { MailSink } from '../../src/mail/mail-sink';
import { appDeps } from '../../src/runtime/app-deps';
import { configuredWorker } from '../../src/runtime/configured-worker';
import { openDatabase } from '../../src/runtime/database';
import { createLogger } from '../../src/runtime/logger';
import { connectClient, connectWorker } from '../../src/temporal/connect';
import { lineFilter } from './console-lines';

const root = resolve(import.meta.dirname, '../..');
const outDir = resolve(root, process.env.FUZZ_OUT_DIR ?? '.data/fuzz');
const databaseUrl = process.env.FUZZ_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/supportflow_fuzz';
const maxExamples = Number(process.env.FUZZ_MAX_EXAMPLES ?? 15);
const seed = process.env.FUZZ_SEED ?? '20260101';
// One worker: schemathesis' threads race in CPython 3.11's ast module (SystemError "AST constructor
// recursion depth mismatch", cpython#106905) on this machine's Python, and the API has the other core.
const workers = process.env.FUZZ_WORKERS ?? '1';
const CUSTOMER_TENANT = 'fuzz-customer';
/** The customer staff tickets open for (hooks.py swaps generated customer ids for it). */
const STAFF_CUSTOMER = 'fuzz-org';
/** Both seeded customers accept every requester on this domain (hooks.py moves generated addresses onto it). */
const REQUESTER_DOMAIN = 'fuzz.test';
/** What the seeded customers bought, in hooks.py's POLICIES order: the first decides a ticket naming none. */
const CONTRACT_POLICIES = ['mailup-standard', 'mailup-premium', 'smartertools-emergency'];

const say = (line: string) => console.log(`[fuzz] ${line}`);

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

/** A database of its own, created empty each run so every run starts from the same state. */
async function freshDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
}

function schemathesisBin(): string {
  if (process.env.SCHEMATHESIS) return process.env.SCHEMATHESIS;
  const out = execFileSync('bash', [join(root, 'scripts/fuzz/setup-schemathesis.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const bin = out.trim().split('\n').pop();
  if (!bin) throw new Error('setup-schemathesis.sh printed no executable');
  return bin;
}

interface RunResult {
  label: string;
  code: number;
  seconds: number;
  output: string;
}

/** http_requests_total by "METHOD route status", as the API's own /metrics counts them. */
type Counts = Map<string, number>;

async function requestCounts(baseUrl: string, staffKey: string): Promise<Counts> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${staffKey}` } });
  const counts: Counts = new Map();
  for (const m of (await res.text()).matchAll(/^http_requests_total\{method="([^"]+)",route="([^"]*)",status="(\d+)"\} (\d+)$/gm)) {
    counts.set(`${m[1]} ${m[2]} ${m[3]}`, Number(m[4]));
  }
  return counts;
}

interface Reach {
  total: number;
  reached: string[];
  unreached: string[];
  requests: number;
  serverErrors: number;
}

/** Which documented operations answered at least one 2xx during one run (the delta of two snapshots). */
function reach(spec: { paths: Record<string, Record<string, unknown>> }, before: Counts, after: Counts): Reach {
  const ok = new Set<string>();
  let requests = 0;
  let serverErrors = 0;
  for (const [key, n] of after) {
    const [method, route, status] = key.split(' ') as [string, string, string];
    // The snapshot before this one was itself one staff GET /metrics answered 200.
    const delta = n - (before.get(key) ?? 0) - (key === 'GET /metrics 200' && before.size > 0 ? 1 : 0);
    if (delta <= 0) continue;
    requests += delta;
    if (status.startsWith('5')) serverErrors += delta;
    if (status.startsWith('2')) ok.add(`${method} ${route.replace(/:([A-Za-z]+)/g, '{$1}')}`);
  }
  const all = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  return {
    total: all.length,
    reached: all.filter((o) => ok.has(o)),
    unreached: all.filter((o) => !ok.has(o)),
    requests,
    serverErrors,
  };
}

/** The figures schemathesis prints in its summary. */
function summaryOf(output: string) {
  const num = (re: RegExp) => Number(re.exec(output)?.[1] ?? NaN);
  const failures = [...output.matchAll(/^\s+❌ (ST\d+ .+): (\d+)$/gm)].map((m) => `${m[1]} × ${m[2]}`);
  return {
    generated: num(/(\d+) generated/),
    links: /API Links:\s+(.+)/.exec(output)?.[1]?.trim() ?? '?',
    scenarios: num(/Scenarios:\s+(\d+)/),
    failures,
  };
}

function schemathesis(bin: string, label: string, baseUrl: string, key: string, tenant: string): Promise<RunResult> {
  const dir = join(outDir, label);
  mkdirSync(dir, { recursive: true });
  const args = [
    '--config-file',
    join(root, 'scripts/fuzz/schemathesis.toml'),
    'run',
    `${baseUrl}/v1/openapi.json`,
    '--url',
    baseUrl,
    '--header',
    `Authorization: Bearer ${key}`,
    '--checks',
    'all',
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--max-examples',
    String(maxExamples),
    '--seed',
    seed,
    '--workers',
    workers,
    '--request-timeout',
    '30',
    '--continue-on-failure',
    '--generation-database',
    'none',
    '--suppress-health-check',
    'too_slow,filter_too_much',
    '--report',
    'junit,ndjson',
    '--report-dir',
    dir,
    '--no-color',
    ...(process.env.FUZZ_ARGS ?? '').split(' ').filter(Boolean),
  ];
  say(`${label}: ${[bin, ...args.map((a) => (a.startsWith('Authorization:') ? "'Authorization: Bearer …'" : a))].join(' ')}`);
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    const log = createWriteStream(join(dir, 'output.txt'));
    const chunks: Buffer[] = [];
    const child = spawn(bin, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NO_COLOR: '1',
        // No __pycache__ beside hooks.py in the work tree.
        PYTHONDONTWRITEBYTECODE: '1',
        SCHEMATHESIS_HOOKS: join(root, 'scripts/fuzz/hooks.py'),
        FUZZ_ROLE: label,
        FUZZ_TENANT: tenant,
        FUZZ_ORG: STAFF_CUSTOMER,
        FUZZ_DOMAIN: REQUESTER_DOMAIN,
      },
    });
    // The two runs go side by side: each console line says whose it is (the report files are per run).
    const prefixed = (text: string) => text.replace(/^(?=.)/gm, `[${label}] `);
    const shown = [child.stdout, child.stderr].map(() => lineFilter((text) => process.stdout.write(prefixed(text))));
    [child.stdout, child.stderr].forEach((stream, i) => {
      stream.on('data', (chunk: Buffer) => {
        shown[i]!.push(chunk);
        log.write(chunk);
        chunks.push(chunk);
      });
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      for (const c of shown) c.end();
      log.end();
      resolveRun({
        label,
        code: code ?? (signal ? 128 : 1),
        seconds: (Date.now() - started) / 1000,
        output: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });
}

/**
 * The customers the fuzzed tickets open for, created through the API as staff would: opening a ticket
 * needs its customer on record, a requester it knows and a policy it bought.
 */
async function seedCustomers(baseUrl: string, staffKey: string): Promise<void> {
  for (const id of [STAFF_CUSTOMER, CUSTOMER_TENANT]) {
    const res = await fetch(`${baseUrl}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staffKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        name: `Fuzz customer ${id}`,
        timeZone: 'Europe/Rome',
        vendorId: 'mailup',
        contacts: [{ name: 'Fuzz requester', email: `requester@${REQUESTER_DOMAIN}` }],
        domains: [REQUESTER_DOMAIN],
        contracts: CONTRACT_POLICIES.map((policyId, i) => ({ id: `fuzz-k${i + 1}`, policyId, validFrom: '2000-01-01T00:00:00Z' })),
      }),
    });
    if (res.status !== 201) throw new Error(`seeding customer ${id}: ${res.status} ${await res.text()}`);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bin = process.env.FUZZ_SERVE ? '' : schemathesisBin();

  const [temporalPort, uiPort, smtpPort, apiPort, customerApiPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '10',
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_UI_PORT: String(uiPort),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    // The fuzzer sends thousands of requests a minute with one key: the limiter would answer most with 429.
    RATE_LIMIT_PER_MINUTE: '1000000',
    // Everything shares two cores here, and Temporal can hold a workflow task up to its 10 s sticky-queue
    // timeout before another poller takes it: the default 4 s budget then answers a healthy update 503.
    API_REQUEST_TIMEOUT_MS: process.env.API_REQUEST_TIMEOUT_MS ?? '15000',
    DATA_DIR: join(outDir, 'data'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  const logFile = join(outDir, 'stack.log');
  const log = createLogger(config, 'fuzz', pino.destination({ dest: logFile, sync: false, mkdir: true }));
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0)) {
      try {
        await stop();
      } catch (err) {
        log.warn({ err }, 'error while stopping');
      }
    }
    log.flush();
  };

  try {
    say(`temporal dev server on 127.0.0.1:${temporalPort}, database ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
    const [temporal] = await Promise.all([
      startDevTemporal({ dataDir: config.DATA_DIR, port: temporalPort, uiPort, log: (l) => say(l) }),
      freshDatabase(databaseUrl),
    ]);
    stops.unshift(temporal.stop);
    const db = await openDatabase(config, { allowEmbedded: false });
    stops.unshift(db.stop);

    const sink = new MailSink(config.SMTP_HOST);
    await sink.start(smtpPort);
    stops.unshift(() => sink.stop());

    const workerConnection = await connectWorker(config);
    const { worker, close: closeMail } = await configuredWorker(config, workerConnection, db.handle.db);
    const running = worker.run();
    stops.unshift(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      closeMail();
      await workerConnection.close();
    });

    const client = await connectClient(config);
    stops.unshift(() => client.connection.close());
    // One app per key, on one worker, client and database: each app counts its own requests (/metrics),
    // so the two runs can go side by side and still say which operations each one reached.
    const serve = async (port: number) => {
      const api = await new Promise<Server>((resolveListen, reject) => {
        const s = createApp(appDeps(config, db.handle.db, client, log))
          .listen(port, config.API_HOST, () => resolveListen(s))
          .once('error', reject);
      });
      stops.unshift(() => new Promise<void>((r) => api.close(() => r())));
    };
    await serve(apiPort);
    await serve(customerApiPort);

    const staff = await createApiKey(db.handle.db, { role: 'staff', label: 'schemathesis staff' });
    const customer = await createApiKey(db.handle.db, { role: 'customer', tenantId: CUSTOMER_TENANT, label: 'schemathesis customer' });
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const customerBaseUrl = `http://127.0.0.1:${customerApiPort}`;
    await seedCustomers(baseUrl, staff.key);
    writeFileSync(join(outDir, 'keys.env'), `BASE=${baseUrl}\nSTAFF_KEY=${staff.key}\nCUSTOMER_KEY=${customer.key}\n`, { mode: 0o600 });
    say(
      `stack up in ${((Date.now() - started) / 1000).toFixed(1)}s: API ${baseUrl}, logs ${logFile}; ` +
        `customers ${STAFF_CUSTOMER} and ${CUSTOMER_TENANT} on ${REQUESTER_DOMAIN}, contracts ${CONTRACT_POLICIES.join(', ')}`,
    );

    if (process.env.FUZZ_SERVE) {
      say(`keys in ${join(outDir, 'keys.env')} (source it); Ctrl-C stops`);
      await new Promise<void>((r) => {
        process.once('SIGINT', () => r());
        process.once('SIGTERM', () => r());
      });
      return 0;
    }

    const spec = (await (await fetch(`${baseUrl}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    // Side by side: one run mostly waits on the stack's answers while the other generates its cases, so
    // the two share the two cores better than in turn (CI kept under 20 minutes).
    const results = await Promise.all(
      (
        [
          ['staff', baseUrl, staff.key, ''],
          ['customer', customerBaseUrl, customer.key, CUSTOMER_TENANT],
        ] as const
      ).map(async ([label, url, key, tenant]) => {
        const before = await requestCounts(url, staff.key);
        const run = await schemathesis(bin, label, url, key, tenant);
        return { ...run, reach: reach(spec, before, await requestCounts(url, staff.key)) };
      }),
    );
    console.log('');
    const summary = results.map((r) => ({ label: r.label, exit: r.code, seconds: r.seconds, ...summaryOf(r.output), ...r.reach }));
    writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    for (const r of summary) {
      say(
        `${r.label}: exit ${r.exit} in ${r.seconds.toFixed(1)}s; ${r.generated} cases generated, ${r.requests} requests, ` +
          `${r.reached.length}/${r.total} operations answered 2xx, ${r.serverErrors} answered 5xx; stateful ${r.scenarios} scenarios, links ${r.links}`,
      );
      say(`${r.label}: no 2xx from ${r.unreached.join(', ') || 'none'}`);
      for (const f of r.failures) say(`${r.label}: failure ${f}`);
    }
    say(`reports, server log and summary.json in ${outDir}`);
    const failed = results.filter((r) => r.code !== 0);
    say(failed.length ? `FAILED: ${failed.map((r) => r.label).join(', ')}` : 'both runs passed');
    // The plain closing line CI reads: one "test" per schemathesis run.
    console.log(`schemathesis: ${results.length - failed.length} passed, ${failed.length} failed`);
    return failed.length ? 1 : 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('[fuzz] failed to run:', err);
    process.exit(2);
  },
);
