import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';

const { EventType } = temporal.api.enums.v1;
const OPEN_TASK = new Set<number>([EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED]);

type History = temporal.api.history.v1.IHistory;

type Run = { workflowId: string; history: History };

/** What can be replayed of a run as far as it is written; undefined when nothing can. */
function replayable(run: Run): Run | undefined {
  const events = run.history.events ?? [];
  // A task still open is not history yet: the replayer would run the workflow on from it, into
  // activities it does not have. Such a run (rare once a test settled) is left out.
  if (OPEN_TASK.has(events.at(-1)?.eventType ?? 0)) return undefined;
  // A run no worker has taken a task of yet (a continue-as-new's next run waiting out its backoff) has
  // nothing to replay, and the replayer would wait for it forever.
  return events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) ? run : undefined;
}

/**
 * One replay worker fed for as long as it is needed: a replay worker costs ~100 ms to start, a history
 * a few ms to replay, so a test replaying after every sequence keeps one. Workers keep runs cached, so a
 * history they cannot replay shows only when a run leaves the cache; CI's ticket-model failure of
 * 2026-12-07 was such a history, met by chance.
 */
export class Replayer {
  private readonly queue: Run[] = [];
  private readonly results: Array<(failure: string | undefined) => void> = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private crashed: string | undefined;
  private readonly running: Promise<void>;

  constructor(workflowCode: string = inject('workflowCode')) {
    const options = { workflowBundle: { code: workflowCode }, replayName: 'replay-check' };
    this.running = (async () => {
      for await (const r of Worker.runReplayHistories(options, this.feed()))
        this.results.shift()?.(r.error ? `${r.workflowId}: ${String(r.error)}` : undefined);
    })().catch((err: unknown) => {
      this.crashed = `the replayer failed: ${String(err)}`;
      for (const resolve of this.results.splice(0)) resolve(this.crashed);
    });
  }

  private async *feed(): AsyncGenerator<Run> {
    for (;;) {
      const next = this.queue.shift();
      if (next) yield next;
      else if (this.closed) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }

  /** The runs that do not replay on the bundle, as `workflowId: error`. */
  async failures(runs: Run[]): Promise<string[]> {
    if (this.crashed) return [this.crashed];
    const pending = runs.flatMap((run) => {
      const r = replayable(run);
      if (!r) return [];
      this.queue.push(r);
      return [new Promise<string | undefined>((resolve) => this.results.push(resolve))];
    });
    this.wake?.();
    return (await Promise.all(pending)).filter((f): f is string => f !== undefined);
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.running;
  }
}

/** How many of these runs a replay checks (the others have nothing settled to replay; see replayable). */
export function replayableCount(runs: Run[]): number {
  return runs.filter((run) => replayable(run) !== undefined).length;
}

/** The runs that do not replay on the bundle, with a replay worker of their own. */
export async function replayFailures(runs: Run[], workflowCode?: string): Promise<string[]> {
  const replayer = new Replayer(workflowCode);
  try {
    return await replayer.failures(runs);
  } finally {
    await replayer.stop();
  }
}

/** Every run a visibility query finds, with its history (the time-skipping server cannot list). */
export async function historiesOf(client: Client, query: string): Promise<Run[]> {
  const runs: Array<{ workflowId: string; runId: string }> = [];
  for await (const w of client.workflow.list({ query })) runs.push({ workflowId: w.workflowId, runId: w.runId });
  return Promise.all(
    runs.map(async (r) => ({ workflowId: r.workflowId, history: await client.workflow.getHandle(r.workflowId, r.runId).fetchHistory() })),
  );
}

/**
 * Every run of these workflows and of the children they started, earlier runs (continue-as-new) included:
 * for the time-skipping server, which cannot list.
 */
export async function historiesFrom(client: Client, workflowIds: Iterable<string>): Promise<Run[]> {
  const runs: Run[] = [];
  const todo = [...workflowIds];
  const seen = new Set(todo);
  for (let workflowId = todo.pop(); workflowId !== undefined; workflowId = todo.pop()) {
    for (let runId: string | undefined; ;) {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      runs.push({ workflowId, history });
      for (const e of history.events ?? []) {
        const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
        if (!child || seen.has(child)) continue;
        seen.add(child);
        todo.push(child);
      }
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      if (!runId) break;
    }
  }
  return runs;
}

/** Every history on a dev-server task queue replays: called as a file's stack stops. */
export async function expectReplayable(client: Client, taskQueue: string): Promise<void> {
  const failed = await replayFailures(await historiesOf(client, `TaskQueue = '${taskQueue}'`));
  if (failed.length) throw new Error(`histories on ${taskQueue} that do not replay:\n${failed.join('\n')}`);
}
