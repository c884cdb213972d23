import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { TICKET_TASK_QUEUE } from '../../workflows/ticket/contract';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

const domain = (path: string) => fileURLToPath(new URL(`../domain/${path}.ts`, import.meta.url));

/**
 * The pure domain the workflows import, evaluated once per worker thread instead of once per workflow:
 * the SDK gives each workflow its own copy of every module, and building those copies took ~20% of the
 * workflow thread while tickets were opening (bench/README.md, end to end). These modules keep no
 * per-workflow state, only memos of pure functions (compiled calendars, zone offsets, formatters),
 * which the workflows may share; the SDK freezes what they export.
 */
export const PRELOADED_MODULES = [
  domain('calendar/core'),
  domain('ticket/core'),
  domain('subscription/index'),
  domain('subscription/money-text'),
  domain('subscription/zoned-time'),
];

/** How every bundle of workflows/ is built: the worker's own, the prebuilt file, the tests'. */
export const BUNDLE_OPTIONS = { workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_MODULES };

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
    ...(s.workflowBundle
      ? { workflowBundle: s.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOADED_MODULES } }),
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
