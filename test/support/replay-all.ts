import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';

const { EventType } = temporal.api.enums.v1;
const OPEN_TASK = new Set<number>([EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED]);

type History = temporal.api.history.v1.IHistory;

/**
 * The histories, as far as they are written, that do not replay on the bundle under test. Workers keep
 * runs cached, so a history they cannot replay shows only when a run leaves the cache; CI's ticket-model
 * failure of 2026-12-07 was such a history, met by chance.
 */
export async function replayFailures(runs: Array<{ workflowId: string; history: History }>): Promise<string[]> {
  const histories = runs.filter(({ history }) => {
    const events = history.events ?? [];
    // A task still open is not history yet: the replayer would run the workflow on from it, into
    // activities it does not have. Such a run (rare once a test settled) is left out.
    if (OPEN_TASK.has(events.at(-1)?.eventType ?? 0)) return false;
    // A run no worker has taken a task of yet (a continue-as-new's next run waiting out its backoff) has
    // nothing to replay, and the replayer would wait for it forever.
    return events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  });
  const failed: string[] = [];
  const options = { workflowBundle: { code: inject('workflowCode') }, replayName: 'replay-check' };
  for await (const r of Worker.runReplayHistories(options, histories)) {
    if (r.error) failed.push(`${r.workflowId}: ${String(r.error)}`);
  }
  return failed;
}

/** Every history on a dev-server task queue replays: called as a file's stack stops (the time-skipping server cannot list). */
export async function expectReplayable(client: Client, taskQueue: string): Promise<void> {
  const runs: Array<{ workflowId: string; runId: string }> = [];
  for await (const w of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` }))
    runs.push({ workflowId: w.workflowId, runId: w.runId });
  const histories = await Promise.all(
    runs.map(async (r) => ({ workflowId: r.workflowId, history: await client.workflow.getHandle(r.workflowId, r.runId).fetchHistory() })),
  );
  const failed = await replayFailures(histories);
  if (failed.length) throw new Error(`histories on ${taskQueue} that do not replay:\n${failed.join('\n')}`);
}
