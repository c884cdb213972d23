import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { ticketWorkflowId } from '../workflows/ticket/contract';
import type { ChangeFeed } from '../src/db/change-feed';
import { benchApp } from './harness/bench-app';
import { loadConfig } from '../src/config';
import type { DbHandle } from '../src/db/client';
import type { MailSink } from '../src/mail/mail-sink';
import { tuningOf } from '../src/runtime/configured-worker';
import { BASELINE_TABLE_DDL, BASELINE_TASK_QUEUE } from './harness/baseline-activities';
import { staffApiKey } from './harness/bench-db';
import { startWorkerProcesses } from './harness/bench-stack';
import {
  BENCH_MAIL_DOMAIN,
  benchCustomer,
  benchPolicyStore,
  benchTicketBody,
  seedBenchCustomers,
  wallPolicyId,
} from './harness/bench-ticket';
import { REPO_ROOT, startTsx, tail, type Child } from './harness/child-process';
import { mergeBlocks, runEndToEnd, type EndToEndBlock, type EndToEndOptions, type EndToEndRun } from './harness/end-to-end';
import { closeServer, listen, postJson } from './harness/http';
import { isAckEmail } from './harness/mail-probes';
import { addCpu, cpuByProcess, cpuPerItem, noCpu, type CpuByProcess } from './harness/process-cpu';
import { envInt, loadAvg1, table, writeResult } from './harness/report';
import { moreThanOnce, ms } from './harness/stats';
import type { baselineWorkflow } from './workflows/baseline-workflow';

const GOAL = 0.7;
const E2E_CUSTOMERS = 50;

export interface Phase {
  run: EndToEndRun;
  /** The 1-minute load average at the start and end of the side's blocks, lowest and highest. */
  load1: { min: number; max: number };
  cpuMsPerItem: ReturnType<typeof cpuPerItem>;
}

type Side = 'baseline' | 'tickets';
/**
 * ABBA ABBA, as the intake bench: the dev server's in-memory store grows with every run it holds, so
 * whichever side ran second paid for the first's histories (baseline first: 0.62-0.73; tickets first:
 * 0.74-0.77, the Temporal server's CPU per item moving 2-4 ms with the order). Alternating quarters
 * spreads that drift, and any passing hiccup, over both sides.
 */
const BLOCK_ORDER: readonly Side[] = ['baseline', 'tickets', 'tickets', 'baseline', 'baseline', 'tickets', 'tickets', 'baseline'];

/** Both sides' options minus what `block` fills in. */
type PhaseOptions = Omit<EndToEndOptions, 'total' | 'key' | 'abort' | 'concurrency' | 'timeoutMs' | 'pollMs'>;

/**
 * Opening a ticket end to end (`POST /v1/tickets` until the SMTP server has its acknowledgment) against
 * the least a durable workflow can do on the same stack: `workflow.start` until its one activity has
 * committed one row. Each side has its own worker process, configured from the same variables; both
 * run throughout and take turns (BLOCK_ORDER), the idle one only long-polling its task queue.
 */
export async function runBaselineBench(ctx: {
  client: Client;
  db: DbHandle;
  changes: ChangeFeed;
  mail: MailSink;
  env: Record<string, string>;
}) {
  const total = envInt('BENCH_INTAKE_TICKETS', 1000);
  const concurrency = envInt('BENCH_INTAKE_CONCURRENCY', 32);
  const timeoutMs = envInt('BENCH_E2E_TIMEOUT_S', 120) * 1000;
  // The baseline's poll queries the PostgreSQL it measures (the tickets' only reads the inbox in memory): every 5 ms it
  // cost the baseline ~5% of its rate; 20 ms delays each lane's next start by 10 ms on average, on both sides.
  const pollMs = Math.max(1, envInt('BENCH_E2E_POLL_MS', 20));
  const warmup = Math.min(100, total);
  const port = envInt('BENCH_API_PORT', 13000) + 2;
  const tag = Date.now().toString(36);
  const tuning = tuningOf(loadConfig({ ...process.env, ...ctx.env }));
  console.log(
    `\n== 0. End to end: ${total} per side, at most ${concurrency} in flight (${warmup} more to warm up, untimed); worker tuning ${JSON.stringify(tuning)}`,
  );

  let baseline: Phase;
  let tickets: Phase;
  let blockRatios: number[];
  // One item per side, whose history says what the server stored for it (events and their bytes).
  let sampleTicket: string | undefined;
  const sampleBaseline = `baseline-${tag}-warm-0`;
  await ctx.db.sql.unsafe(BASELINE_TABLE_DDL);
  // The ticket side's customers are on record before anything is timed.
  const policies = benchPolicyStore();
  const policyId = wallPolicyId(3_600_000);
  const customerOf = (i: number) => `bench-e2e-${i % E2E_CUSTOMERS}`;
  await seedBenchCustomers(
    ctx.db.db,
    policies,
    Array.from({ length: E2E_CUSTOMERS }, (_, i) => benchCustomer(customerOf(i), [policyId])),
  );
  const apiKey = await staffApiKey(ctx.db.db);
  const app = benchApp({ client: ctx.client, db: ctx.db.db, changes: ctx.changes, policies });
  const server = await listen(app, port);
  const url = `http://127.0.0.1:${port}/v1/tickets`;
  const statuses = new Map<number, number>();
  // Each ticket's requester address is its key: the acknowledgment goes there, whatever id the ticket gets.
  const acks = new Map<string, number>();
  const mailStart = ctx.mail.messages.length;
  let mailSeen = mailStart;
  const workers: Child[] = [];
  try {
    const baseWorker = await startWorkerProcesses(ctx.env, undefined, (env) =>
      startTsx('baseline', join(REPO_ROOT, 'bench', 'harness', 'baseline-worker.ts'), env, /baseline worker running/),
    );
    workers.push(baseWorker);
    const ticketWorker = await startWorkerProcesses(ctx.env);
    workers.push(ticketWorker);
    const sides: Record<Side, { worker: Child; options: PhaseOptions }> = {
      baseline: {
        worker: baseWorker,
        options: {
          start: async (key) => {
            await ctx.client.workflow.start<typeof baselineWorkflow>('baselineWorkflow', {
              taskQueue: BASELINE_TASK_QUEUE,
              workflowId: key,
              args: [key],
            });
          },
          // Epoch milliseconds computed in SQL: drizzle's postgres.js setup hands timestamps back as strings.
          poll: async (pending) =>
            new Map(
              (
                await ctx.db.sql<Array<{ id: string; at_ms: number }>>`
                  select id, extract(epoch from inserted_at)::float8 * 1000 as at_ms from bench_baseline_rows where id = any(${pending})`
              ).map((r) => [r.id, r.at_ms]),
            ),
        },
      },
      tickets: {
        worker: ticketWorker,
        options: {
          start: async (key, i) => {
            const res = await postJson(url, apiKey, {
              ...benchTicketBody(i, policyId, customerOf(i)),
              requesterEmail: `${key}@${BENCH_MAIL_DOMAIN}`,
            });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status !== 201) throw new Error(`POST /v1/tickets answered ${res.status}`);
            sampleTicket ??= (res.json as { id?: string }).id;
          },
          poll: async (pending) => {
            for (const m of ctx.mail.messages.slice(mailSeen))
              if (isAckEmail(m)) for (const to of m.to) acks.set(to.toLowerCase().split('@')[0] ?? '', m.receivedAt);
            mailSeen = ctx.mail.messages.length;
            const found = new Map<string, number>();
            for (const k of pending) {
              const at = acks.get(k.toLowerCase());
              if (at !== undefined) found.set(k, at);
            }
            return found;
          },
        },
      },
    };
    const block = (side: Side, n: number, name: string) => {
      const { worker, options } = sides[side];
      return runEndToEnd({
        ...options,
        concurrency,
        timeoutMs,
        pollMs,
        abort: worker.exited,
        total: n,
        key: (i) => `${side}-${tag}-${name}-${i}`,
      });
    };
    for (const side of ['tickets', 'baseline'] as const) {
      const warm = await block(side, warmup, 'warm');
      if (warm.failures) throw new Error(`${side} warm-up: ${warm.failures} failed, first: ${warm.firstError}`);
    }
    const quarter = Math.ceil(total / 4);
    const blocks: Record<Side, EndToEndBlock[]> = { baseline: [], tickets: [] };
    const cpu: Record<Side, CpuByProcess> = { baseline: noCpu(), tickets: noCpu() };
    const loads: Record<Side, number[]> = { baseline: [], tickets: [] };
    for (const [n, side] of BLOCK_ORDER.entries()) {
      const before = cpuByProcess();
      loads[side].push(loadAvg1());
      blocks[side].push(await block(side, quarter, `b${n}`));
      addCpu(cpu[side], before, cpuByProcess());
      loads[side].push(loadAvg1());
    }
    const phaseOf = (side: Side): Phase => {
      const run = mergeBlocks(blocks[side]);
      console.log(
        `${side}: ${run.completed}/${quarter * blocks[side].length} in ${(run.wallMs / 1000).toFixed(1)} s over ${blocks[side].length} blocks; load average (1 min) ${Math.min(...loads[side]).toFixed(2)}-${Math.max(...loads[side]).toFixed(2)}`,
      );
      return {
        run,
        load1: { min: Math.min(...loads[side]), max: Math.max(...loads[side]) },
        cpuMsPerItem: cpuPerItem(cpu[side], run.completed + run.failures),
      };
    };
    baseline = phaseOf('baseline');
    tickets = phaseOf('tickets');
    // Adjacent blocks ran back to back, so their ratios show how much of the spread is the machine's.
    blockRatios = blocks.tickets.map((t, i) => t.perSecond / (blocks.baseline[i]?.perSecond ?? Number.NaN));
  } catch (err) {
    for (const w of workers) console.error(`${w.name} log tail:\n${tail(w.logFile)}`);
    throw err;
  } finally {
    await closeServer(server);
    await Promise.all(workers.map((w) => w.kill()));
  }

  const ratio = tickets.run.perSecond / baseline.run.perSecond;
  const histories = {
    tickets: sampleTicket ? await historyOf(ctx.client, ticketWorkflowId(sampleTicket)) : undefined,
    baseline: await historyOf(ctx.client, sampleBaseline),
  };
  // One acknowledgment per ticket, however many workers share the queue.
  const duplicateAcks = moreThanOnce(
    ctx.mail.messages
      .slice(mailStart)
      .filter(isAckEmail)
      .flatMap((m) => m.to.map((to) => to.toLowerCase())),
  );
  const row = (side: string, p: Phase) => ({
    side,
    'per s': p.run.perSecond.toFixed(1),
    p50: ms(p.run.latencyMs.p50),
    p99: ms(p.run.latencyMs.p99),
    max: ms(p.run.latencyMs.max),
    'start p50': ms(p.run.startLatencyMs.p50),
    failures: p.run.failures,
    'load 1m': `${p.load1.min.toFixed(2)}-${p.load1.max.toFixed(2)}`,
    // Where the two cores went per item: the API and load generator (this process), the worker
    // processes (with anything else running), the Temporal server, PostgreSQL.
    'CPU ms/item: bench · worker · Temporal · PostgreSQL': [
      p.cpuMsPerItem.bench,
      p.cpuMsPerItem.other,
      p.cpuMsPerItem.temporal,
      p.cpuMsPerItem.postgres,
    ]
      .map((v) => v.toFixed(2))
      .join(' · '),
  });
  console.log(
    table([row('tickets: POST /v1/tickets -> ack email at SMTP', tickets), row('BASELINE: workflow.start -> 1 row committed', baseline)]),
  );
  console.log(
    `ticket openings / baseline rate: ${ratio.toFixed(2)}x (goal >= ${GOAL.toFixed(2)}x) ${ratio >= GOAL ? 'MET' : 'NOT MET'}; adjacent block pairs ${blockRatios.map((r) => r.toFixed(2)).join(', ')}`,
  );
  console.log(`tickets acknowledged more than once: ${duplicateAcks}`);
  for (const [side, h] of Object.entries(histories))
    if (h) console.log(`history of one ${side} item: ${h.events} events, ${h.bytes} bytes (${h.types})`);
  const firstError = tickets.run.firstError ?? baseline.run.firstError;
  if (firstError) console.log(`first error: ${firstError}`);
  const file = writeResult('baseline', {
    total,
    concurrency,
    warmup,
    pollMs,
    workerTuning: tuning,
    tickets,
    baseline,
    ratio,
    blockRatios,
    histories,
    goal: GOAL,
    statuses: Object.fromEntries(statuses),
    duplicateAcks,
  });
  console.log(`-> ${file}`);
  return { tickets, baseline, ratio, goal: GOAL };
}

/** A workflow's history so far: its events, their encoded size, and their types in order. */
async function historyOf(client: Client, workflowId: string) {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const bytes = events.reduce((a, e) => a + proto.temporal.api.history.v1.HistoryEvent.encode(e).finish().length, 0);
  const types = events.map((e) => String(proto.temporal.api.enums.v1.EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', '')).join(' ');
  return { events: events.length, bytes, types };
}
