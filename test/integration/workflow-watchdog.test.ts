import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '../support/wait';

const { EventType } = proto.temporal.api.enums.v1;

/**
 * The SDK patch (scripts/patches) runs an activation's calls into the workflow under one deadlock watchdog
 * instead of one each. What it must keep: workflow code that never yields fails its task, wherever in the
 * activation it runs, and the worker goes on serving other workflows.
 */
let connection: Connection;
let client: Client;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
});
afterEach(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    const proc = worker;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    // A worker whose thread never came back from workflow code cannot shut down.
    const forced = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(forced);
  }
});
afterAll(async () => {
  await connection?.close();
});

/**
 * A fresh worker process per case: after a watchdog has ended one workflow's code, a second ending in
 * the same worker thread aborts the process, patched or not ("async hook stack has become corrupted":
 * Node's vm termination leaves the stack unbalanced, nodejs/node#38503, sdk-typescript#939).
 */
async function startWorker(taskQueue: string): Promise<ChildProcess> {
  const entry = fileURLToPath(new URL('../support/watchdog/runaway-worker.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192));
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  await waitFor(async () => {
    if (proc.exitCode !== null) throw new Error(`the runaway worker exited: ${output}`);
    return output.includes('runaway worker ready') ? true : undefined;
  }, 60_000);
  return proc;
}

/** The first failed workflow task's message, once there is one. */
async function firstTaskFailure(workflowId: string): Promise<string> {
  return waitFor(async () => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const failed = history.events?.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    return failed ? (failed.workflowTaskFailedEventAttributes?.failure?.message ?? '') : undefined;
  });
}

describe('the deadlock watchdog, one per activation', () => {
  it.each([
    ['a signal handler', 'spinInHandlerWorkflow'],
    ['a continuation after a timer', 'spinAfterTimerWorkflow'],
    ["a condition's predicate", 'spinInConditionWorkflow'],
  ])('fails the task of code that never yields in %s, and the worker serves on', async (_where, type) => {
    const taskQueue = `watchdog-${randomUUID().slice(0, 8)}`;
    const proc = (worker = await startWorker(taskQueue));
    const runaway = await client.workflow.start(type, { taskQueue, workflowId: `${type}-${randomUUID().slice(0, 8)}` });
    if (type === 'spinInHandlerWorkflow') await runaway.signal('spin');
    expect(await firstTaskFailure(runaway.workflowId)).toMatch(/Script execution timed out after 1000ms/);
    await runaway.terminate('test done');
    const echo = await client.workflow.execute('echoWorkflow', { taskQueue, workflowId: `echo-${randomUUID()}`, args: [type] });
    expect(echo).toBe(type);
    expect(proc.exitCode).toBeNull();
  });
});
