import { join } from 'node:path';
import type { DbHandle } from '../../src/db/client';
import { MailSink } from '../../src/mail/mail-sink';
import { REPO_ROOT, startTsx, type Child } from './child-process';

export const BENCH_SMTP_PORT = Number(process.env.BENCH_SMTP_PORT ?? 12525);

/** Environment for the shipped entry points (src/worker-main.ts, src/api-main.ts) against our own services. */
export function serviceEnv(opts: { temporalAddress: string; databaseUrl: string; smtpPort: number }): Record<string, string> {
  return {
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_START_DEV_SERVER: 'false',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(opts.smtpPort),
    SMTP_START_SINK: 'false',
    LOG_LEVEL: 'info',
  };
}

/** The production worker entry point as a child process, so its memory is its own and it can be killed. */
export function startWorkerProcess(env: Record<string, string>): Promise<Child> {
  return startTsx('worker', join(REPO_ROOT, 'src', 'worker-main.ts'), env, /worker running/);
}

/** How many worker processes share the task queue (`BENCH_WORKERS`, default 1). */
export const BENCH_WORKERS = Math.max(1, Number(process.env.BENCH_WORKERS ?? 1));

/** `n` worker processes polling the same task queue, seen as one (see `asOne`). */
export async function startWorkerProcesses(env: Record<string, string>, n = BENCH_WORKERS, start = startWorkerProcess): Promise<Child> {
  return asOne(await Promise.all(Array.from({ length: n }, () => start(env))));
}

/**
 * Processes seen as one: RSS summed, `exited` when any of them exits (the run is void then), killed
 * together. The log is the first one's; the others sit beside it.
 */
export function asOne(all: Child[]): Child {
  const first = all[0];
  if (!first) throw new Error('no process to group');
  if (all.length === 1) return first;
  return {
    ...first,
    name: `${all.length} x ${first.name}`,
    exited: Promise.race(all.map((c) => c.exited)),
    rssBytes: () => {
      const each = all.map((c) => c.rssBytes());
      return each.every((x) => x !== undefined) ? each.reduce((a, b) => a + b, 0) : undefined;
    },
    kill: async (signal) => {
      await Promise.all(all.map((c) => c.kill(signal)));
    },
  };
}
export async function startMailSink(port = BENCH_SMTP_PORT): Promise<MailSink> {
  // The bench reads only headers (mail-probes.ts); the body's parse would be charged to what it measures.
  const sink = new MailSink('127.0.0.1', 'headers');
  await sink.start(port);
  return sink;
}

export interface BenchServices {
  db: DbHandle;
  mail: MailSink;
  worker: Child;
}
