import { execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { cacheDir } from '../../src/infra/cache-dir';
import { SERVER_DYNAMIC_CONFIG } from '../../src/infra/server-settings';
import { resolveTemporalCli } from '../../src/infra/temporal-cli';
import { cliTypeName, customSearchAttributes } from '../../workflows/search-attributes';
import { REPO_ROOT, tail, vmRss } from './child-process';

const run = promisify(execFile);

/** The server docker-compose.yml runs (`temporalio/server`); scripts/temporal/build-server.sh builds the same. */
export const REAL_SERVER_VERSION = 'v1.29.1';

export interface RealServerOptions {
  /** Frontend gRPC port; history, matching and worker take the next three, membership +100. */
  port: number;
  /** PostgreSQL the server persists to: two databases of its own, dropped and set up each run. */
  databaseUrl: string;
  /** Task-queue partitions (SERVER_DYNAMIC_CONFIG's unless BENCH_PARTITIONS says otherwise). */
  partitions: number;
}

function binaries() {
  const dir = join(cacheDir(), 'temporal-server', REAL_SERVER_VERSION);
  return {
    dir,
    server: join(dir, 'temporal-server'),
    sqlTool: join(dir, 'temporal-sql-tool'),
    schema: join(dir, 'schema', 'postgresql', 'v12'),
  };
}

async function ensureBuilt() {
  const b = binaries();
  if (existsSync(b.server) && existsSync(b.sqlTool) && existsSync(b.schema)) return b;
  console.log(`[temporal-server] building ${REAL_SERVER_VERSION} from the Go module proxy (first time only, ~10 min on 2 cores)`);
  await run('bash', [join(REPO_ROOT, 'scripts', 'temporal', 'build-server.sh')], {
    env: { ...process.env, TEMPORAL_SERVER_VERSION: REAL_SERVER_VERSION },
    maxBuffer: 64 * 1024 * 1024,
  });
  return b;
}

/** The script compose's temporal-schema job runs, with this machine's binary and schema files. */
async function setUpSchema(b: ReturnType<typeof binaries>, url: URL, dbs: { main: string; visibility: string }) {
  await run('sh', [join(REPO_ROOT, 'scripts', 'temporal', 'setup-postgres.sh')], {
    env: {
      ...process.env,
      PATH: `${b.dir}:${process.env.PATH ?? ''}`,
      TEMPORAL_SCHEMA_DIR: b.schema,
      POSTGRES_SEEDS: url.hostname,
      DB_PORT: url.port || '5432',
      POSTGRES_USER: decodeURIComponent(url.username),
      SQL_PASSWORD: decodeURIComponent(url.password),
      DBNAME: dbs.main,
      VISIBILITY_DBNAME: dbs.visibility,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function configYaml(o: RealServerOptions, url: URL, dbs: { main: string; visibility: string }, dynamicConfigFile: string): string {
  const store = (db: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: "${url.hostname}:${url.port || '5432'}"
        connectProtocol: tcp
        user: "${decodeURIComponent(url.username)}"
        password: "${decodeURIComponent(url.password)}"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const svc = (grpc: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${grpc + 100}
      bindOnLocalHost: true`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(dbs.main, 20)}
    visibility:${store(dbs.visibility, 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${svc(o.port)}
      httpPort: ${o.port + 4}
  history:${svc(o.port + 1)}
  matching:${svc(o.port + 2)}
  worker:${svc(o.port + 3)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${o.port}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "${dynamicConfigFile}"
  pollInterval: 10s
`;
}

/** Dynamic config in the server's file format: the same values the dev server gets, plus the partitions. */
function dynamicConfigYaml(partitions: number): string {
  const values: Record<string, string | number | boolean> = {
    ...SERVER_DYNAMIC_CONFIG,
    'matching.numTaskqueueReadPartitions': partitions,
    'matching.numTaskqueueWritePartitions': partitions,
  };
  return Object.entries(values)
    .map(([k, v]) => `${k}:\n  - value: ${JSON.stringify(v)}\n`)
    .join('');
}

async function drop(admin: postgres.Sql, db: string) {
  await admin.unsafe(`drop database if exists "${db}" with (force)`);
}

/**
 * The production server binary on this machine's PostgreSQL: fresh databases, schema set up with
 * compose's script (scripts/temporal/setup-postgres.sh), the `default` namespace and our search attributes registered with the CLI, exactly
 * the steps compose's admin-tools job takes.
 */
export async function startRealTemporal(o: RealServerOptions) {
  const b = await ensureBuilt();
  const url = new URL(o.databaseUrl);
  const prefix = url.pathname.slice(1) || 'temporal_bench';
  const dbs = { main: prefix, visibility: `${prefix}_visibility` };
  const adminUrl = new URL(o.databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await drop(admin, dbs.main);
    await drop(admin, dbs.visibility);
  } finally {
    await admin.end();
  }
  await setUpSchema(b, url, dbs);

  const root = join(tmpdir(), `supportflow-temporal-server-${o.port}`);
  mkdirSync(join(root, 'config'), { recursive: true });
  const dynamicConfigFile = join(root, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfigFile, dynamicConfigYaml(o.partitions));
  writeFileSync(join(root, 'config', 'bench.yaml'), configYaml(o, url, dbs, dynamicConfigFile));
  const logFile = join(root, `server-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const proc = spawn(b.server, ['--root', root, '--config', 'config', '--env', 'bench', '--allow-no-auth', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const exited = new Promise<number | string | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const forced = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  };

  try {
    const address = `127.0.0.1:${o.port}`;
    const cli = await resolveTemporalCli((l) => console.log(`[temporal] ${l}`));
    if (cli.source === 'sdk-download')
      throw new Error('the Temporal CLI is needed to register the namespace: run scripts/setup-machine.sh');
    const temporal = (...args: string[]) => run(cli.path, [...args, '--address', address]);
    await retry(() => temporal('operator', 'cluster', 'health'), 90_000, exited, logFile);
    await temporal('operator', 'namespace', 'create', '--namespace', 'default', '--retention', '24h');
    // A new namespace reaches every service's cache within the refresh interval (10 s by default).
    for (const sa of customSearchAttributes) {
      await retry(
        () =>
          temporal(
            'operator',
            'search-attribute',
            'create',
            '--namespace',
            'default',
            '--name',
            sa.name,
            '--type',
            cliTypeName[sa.type] ?? '',
          ),
        60_000,
        exited,
        logFile,
      );
    }
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace: 'default' });
    await retry(() => client.workflowService.describeNamespace({ namespace: 'default' }), 60_000, exited, logFile);
    return {
      address,
      client,
      logFile,
      rssBytes: () => vmRss(proc.pid),
      stop: async () => {
        await connection.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function retry<T>(step: () => Promise<T>, timeoutMs: number, exited: Promise<unknown>, logFile: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    try {
      return await step();
    } catch (err) {
      if (gone) throw new Error(`temporal-server exited; its log ends:\n${tail(logFile)}`);
      if (Date.now() > until) throw new Error(`temporal-server not ready: ${(err as Error).message}\n${tail(logFile)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
