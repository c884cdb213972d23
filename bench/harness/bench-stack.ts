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

export async function startMailSink(port = BENCH_SMTP_PORT): Promise<MailSink> {
  const sink = new MailSink('127.0.0.1');
  await sink.start(port);
  return sink;
}

export interface BenchServices {
  db: DbHandle;
  mail: MailSink;
  worker: Child;
}
