import 'dotenv/config';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { connectDb } from '../../src/db/client';
import { tuningOf } from '../../src/runtime/configured-worker';
import { connectWorker } from '../../src/temporal/connect';
import { workerTuning } from '../../src/temporal/worker';
import { BASELINE_TASK_QUEUE, baselineActivities } from './baseline-activities';

/**
 * The baseline workflow's worker, a child process like src/worker-main.ts and configured from the same
 * variables through the same functions (connection, namespace, pool size, cache and task-slot tuning), so
 * the two sides differ only in the workflow they run.
 */
const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required');
const handle = connectDb(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
const connection = await connectWorker(config);
const tuning = workerTuning(tuningOf(config));
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: BASELINE_TASK_QUEUE,
  activities: baselineActivities(handle.sql),
  workflowsPath: fileURLToPath(new URL('../workflows/baseline-workflow.ts', import.meta.url)),
  ...tuning,
});
console.log(`baseline worker running ${JSON.stringify({ taskQueue: BASELINE_TASK_QUEUE, ...tuning })}`);
await worker.run();
await connection.close();
await handle.close();
