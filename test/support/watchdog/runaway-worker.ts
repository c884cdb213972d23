import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

/**
 * A worker process for the runaway workflows, as a deployed worker runs: on its own. A second watchdog
 * firing in one worker thread aborts its process (see the test), which must not be the test runner's.
 */
async function main() {
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const taskQueue = process.env.TASK_QUEUE ?? 'watchdog';
  const workflowsPath = fileURLToPath(new URL('./runaway-workflows.ts', import.meta.url));
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  // The SDK's watchdog is 5 s and not among its typed options; one second keeps the test short.
  const options = { connection, taskQueue, workflowBundle: { code }, isolateExecutionTimeout: '1s' };
  const worker = await Worker.create(options as WorkerOptions);
  process.once('SIGTERM', () => worker.shutdown());
  console.log('runaway worker ready');
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
