import type { MailSink } from '../src/mail/mail-sink';
import { runBaselineBench } from './baseline';
import { runReportBench } from './report';
import { runBreachBench } from './breach-latency';
import { runBusinessTimeBench } from './business-time';
import { runCostBench } from './cost';
import { BENCH_DATABASE_URL, freshDatabase } from './harness/bench-db';
import { serviceEnv, startMailSink, startWorkerProcesses, BENCH_SMTP_PORT, BENCH_WORKERS } from './harness/bench-stack';
import { tail } from './harness/child-process';
import { startChangeFeed } from '../src/db/change-feed';
import { SERVER_DYNAMIC_CONFIG } from '../src/infra/server-settings';
import { startRealTemporal } from './harness/real-server';
import { envInt, machine } from './harness/report';
import { BENCH_TEMPORAL_PORT, startBenchTemporal } from './harness/temporal-server';
import { runIntakeBench } from './intake';
import { runWorkflowThreadBench } from './workflow-thread';

/**
 * `npm run bench`: every benchmark against the real stack (Temporal dev server, PostgreSQL, SMTP), each
 * printing its figures next to its baseline and writing JSON under bench/results/. BENCH_ONLY=intake,breach
 * picks a subset (default: all, baseline first); sizes come from BENCH_* variables (see bench/README.md).
 */
const only = new Set(
  (process.env.BENCH_ONLY ?? 'baseline,intake,breach,cost,report,business-time,workflow-thread').split(',').map((s) => s.trim()),
);
const started = Date.now();
const stops: Array<() => Promise<unknown>> = [];

/**
 * BENCH_SERVER=dev (default): the CLI's dev server (SQLite in memory); BENCH_SERVER=postgres: the
 * production server binary on this machine's PostgreSQL. Both with BENCH_PARTITIONS task-queue partitions.
 */
const SERVER = process.env.BENCH_SERVER ?? 'dev';
const PARTITIONS = Math.max(1, envInt('BENCH_PARTITIONS', Number(SERVER_DYNAMIC_CONFIG['matching.numTaskqueueReadPartitions'] ?? 4)));

function startServer() {
  const partitions = { 'matching.numTaskqueueReadPartitions': PARTITIONS, 'matching.numTaskqueueWritePartitions': PARTITIONS };
  if (SERVER === 'dev') return startBenchTemporal(BENCH_TEMPORAL_PORT, partitions);
  if (SERVER !== 'postgres') throw new Error(`BENCH_SERVER=${SERVER}: use dev or postgres`);
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${url.pathname.slice(1)}_temporal`;
  return startRealTemporal({ port: BENCH_TEMPORAL_PORT, databaseUrl: url.toString(), partitions: PARTITIONS });
}

async function main() {
  console.log(`supportflow benchmarks on ${JSON.stringify(machine())}`);
  console.log(`server: ${SERVER}, ${PARTITIONS} task-queue partition(s), ${BENCH_WORKERS} worker process(es)`);
  const needsStack = ['baseline', 'intake', 'breach', 'cost', 'report'].some((b) => only.has(b));
  if (needsStack) {
    const [temporal, db] = await Promise.all([startServer(), freshDatabase(BENCH_DATABASE_URL)]);
    stops.unshift(() => temporal.stop());
    stops.unshift(() => db.close());
    const changes = startChangeFeed(BENCH_DATABASE_URL);
    stops.unshift(() => changes.stop());
    // The API serves keys and customers from memory only while the feed listens: time nothing before.
    for (let i = 0; i < 200 && !changes.live; i++) await new Promise((r) => setTimeout(r, 50));
    console.log(`change feed: ${changes.live ? 'live' : 'NOT live (the API reads keys and customers from PostgreSQL)'}`);
    const env = serviceEnv({ temporalAddress: temporal.address, databaseUrl: BENCH_DATABASE_URL, smtpPort: BENCH_SMTP_PORT });
    let sink: MailSink | undefined;
    const mailSink = async () => {
      if (sink) return sink;
      const started = await startMailSink(BENCH_SMTP_PORT);
      stops.unshift(() => started.stop());
      return (sink = started);
    };
    const endToEnd = only.has('baseline')
      ? await runBaselineBench({ client: temporal.client, db, changes, mail: await mailSink(), env })
      : undefined;
    const intake = only.has('intake') ? await runIntakeBench({ client: temporal.client, db: db.db, changes }) : undefined;
    // Issue 16 items 1 and 5 side by side, so one run answers both.
    if (endToEnd && intake)
      console.log(
        `\n== issue 16: ticket openings end to end ${endToEnd.ratio.toFixed(2)}x the baseline (goal >= ${endToEnd.goal.toFixed(2)}x); API intake ${intake.ratio.toFixed(2)}x raw workflow.start (goal >= 0.90x)`,
      );
    if (only.has('breach') || only.has('cost')) {
      const mail = await mailSink();
      const worker = await startWorkerProcesses(env);
      stops.unshift(() => worker.kill());
      try {
        if (only.has('breach')) await runBreachBench({ client: temporal.client, db, changes, mail, worker });
        if (only.has('cost')) await runCostBench({ client: temporal.client, db: db.db, changes });
      } catch (err) {
        console.error(`worker log tail:\n${tail(worker.logFile)}`);
        throw err;
      }
    }
    if (only.has('report')) await runReportBench({ client: temporal.client, db: db.db, changes });
  }
  if (only.has('business-time')) {
    console.log('\n== 4. Business-time math');
    await runBusinessTimeBench();
  }
  if (only.has('workflow-thread')) {
    console.log('\n== 6. Workflow thread: CPU per replayed ticket history, deadlock watchdog per activation vs per call');
    await runWorkflowThreadBench();
  }
  console.log(`\nall benchmarks done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function stopAll() {
  for (const stop of stops.splice(0)) await stop().catch((err: unknown) => console.error('stop failed', err));
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await stopAll();
}
