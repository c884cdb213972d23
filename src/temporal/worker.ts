import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { TICKET_TASK_QUEUE } from '../../workflows/ticket/contract';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

export interface WorkerSetup {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests share one) instead of bundling workflows/ at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Bounds the worker's memory: a sleeping ticket costs ~0.5 MB while cached (measured with 10,000), nothing once evicted. */
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTasks?: number;
}

export async function createWorker(s: WorkerSetup): Promise<Worker> {
  return Worker.create({
    connection: s.connection,
    namespace: s.namespace ?? 'default',
    taskQueue: s.taskQueue ?? TICKET_TASK_QUEUE,
    activities: createActivities(s.deps),
    ...workerTuning(s),
    ...(s.workflowBundle ? { workflowBundle: s.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}

/**
 * The worker's tuning on its own, so the benchmark's baseline worker (bench/harness/baseline-worker.ts)
 * polls with exactly the settings the ticket worker has.
 */
export function workerTuning(
  s: Pick<WorkerSetup, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTasks'>,
): Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'> {
  return {
    ...(s.maxCachedWorkflows ? { maxCachedWorkflows: s.maxCachedWorkflows } : {}),
    ...(s.maxConcurrentWorkflowTasks ? { maxConcurrentWorkflowTaskExecutions: s.maxConcurrentWorkflowTasks } : {}),
  };
}
