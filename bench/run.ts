import { runBreachBench } from './breach-latency';
import { runBusinessTimeBench } from './business-time';
import { runCostBench } from './cost';
import { BENCH_DATABASE_URL, freshDatabase } from './harness/bench-db';
import { serviceEnv, startMailSink, startWorkerProcess, BENCH_SMTP_PORT } from './harness/bench-stack';
import { tail } from './harness/child-process';
import { machine } from './harness/report';
import { startBenchTemporal } from './harness/temporal-server';
import { runIntakeBench } from './intake';

/**
 * `npm run bench`: every benchmark against the real stack (Temporal dev server, PostgreSQL, SMTP), each
 * printing its figures next to its baseline and writing JSON under bench/results/. BENCH_ONLY=intake,breach
 * picks a subset; sizes come from BENCH_* variables (see bench/README.md).
 */
const only = new Set((process.env.BENCH_ONLY ?? 'intake,breach,cost,business-time').split(',').map((s) => s.trim()));
const started = Date.now();
const stops: Array<() => Promise<unknown>> = [];

async function main() {
  console.log(`supportflow benchmarks on ${JSON.stringify(machine())}`);
  const needsStack = ['intake', 'breach', 'cost'].some((b) => only.has(b));
  if (needsStack) {
    const [temporal, db] = await Promise.all([startBenchTemporal(), freshDatabase(BENCH_DATABASE_URL)]);
    stops.unshift(() => temporal.stop());
    stops.unshift(() => db.close());
    if (only.has('intake')) await runIntakeBench({ client: temporal.client, db: db.db });
    if (only.has('breach') || only.has('cost')) {
      const mail = await startMailSink(BENCH_SMTP_PORT);
      stops.unshift(() => mail.stop());
      const worker = await startWorkerProcess(
        serviceEnv({ temporalAddress: temporal.address, databaseUrl: BENCH_DATABASE_URL, smtpPort: BENCH_SMTP_PORT }),
      );
      stops.unshift(() => worker.kill());
      try {
        if (only.has('breach')) await runBreachBench({ client: temporal.client, db, mail, worker });
        if (only.has('cost')) await runCostBench({ client: temporal.client, db: db.db });
      } catch (err) {
        console.error(`worker log tail:\n${tail(worker.logFile)}`);
        throw err;
      }
    }
  }
  if (only.has('business-time')) {
    console.log('\n== 4. Business-time math');
    await runBusinessTimeBench();
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
