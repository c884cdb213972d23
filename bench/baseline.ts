import { join } from 'node:path';
import type { Client } from '@temporalio/client';
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
import { runEndToEnd, type EndToEndOptions, type EndToEndRun } from './harness/end-to-end';
import { closeServer, listen, postJson } from './harness/http';
import { isAckEmail } from './harness/mail-probes';
import { addCpu, cpuByProcess, cpuPerItem, noCpu } from './harness/process-cpu';
import { envInt, loadAvg1, table, writeResult } from './harness/report';
import { moreThanOnce, ms } from './harness/stats';
import type { baselineWorkflow } from './workflows/baseline-workflow';

const GOAL = 0.7;
const E2E_CUSTOMERS = 50;

export interface Phase {
  run: EndToEndRun;
  load1: { start: number; end: number };
  cpuMsPerItem: ReturnType<typeof cpuPerItem>;
}

/** Both sides' options minus what `phase` fills in. */
type PhaseOptions = Omit<EndToEndOptions, 'total' | 'key' | 'abort' | 'concurrency' | 'timeoutMs' | 'pollMs'>;

/**
 * Opening a ticket end to end (`POST /v1/tickets` until the SMTP server has its acknowledgment) against
 * the least a durable workflow can do on the same stack: `workflow.start` until its one activity has
 * committed one row. Each side has its own worker process, configured from the same variables, and runs
 * alone: the baseline's worker is stopped before the ticket worker starts.
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

  const phase = async (label: string, worker: Child, o: PhaseOptions): Promise<Phase> => {
    const common = { ...o, concurrency, timeoutMs, pollMs, abort: worker.exited };
    const warm = await runEndToEnd({ ...common, total: warmup, key: (i) => `${label}-${tag}-warm-${i}` });
    if (warm.failures) throw new Error(`${label} warm-up: ${warm.failures} failed, first: ${warm.firstError}`);
    const start = loadAvg1();
    const before = cpuByProcess();
    const run = await runEndToEnd({ ...common, total, key: (i) => `${label}-${tag}-${i}` });
    const cpu = noCpu();
    addCpu(cpu, before, cpuByProcess());
    const end = loadAvg1();
    console.log(
      `${label}: ${run.completed}/${total} in ${(run.wallMs / 1000).toFixed(1)} s; load average (1 min) ${start.toFixed(2)} at start, ${end.toFixed(2)} at end`,
    );
    return { run, load1: { start, end }, cpuMsPerItem: cpuPerItem(cpu, run.completed + run.failures) };
  };
  const withWorker = async <T>(worker: Child, body: () => Promise<T>): Promise<T> => {
    try {
      return await body();
    } catch (err) {
      console.error(`${worker.name} log tail:\n${tail(worker.logFile)}`);
      throw err;
    } finally {
      await worker.kill();
    }
  };

  await ctx.db.sql.unsafe(BASELINE_TABLE_DDL);
  const baseWorker = await startWorkerProcesses(ctx.env, undefined, (env) =>
    startTsx('baseline', join(REPO_ROOT, 'bench', 'harness', 'baseline-worker.ts'), env, /baseline worker running/),
  );
  const baseline = await withWorker(baseWorker, () =>
    phase('baseline', baseWorker, {
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
    }),
  );

  // The ticket side: customers on record (setup, untimed), then the API in this process and the shipped worker.
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
  let tickets: Phase;
  try {
    const ticketWorker = await startWorkerProcesses(ctx.env);
    tickets = await withWorker(ticketWorker, () =>
      phase('tickets', ticketWorker, {
        start: async (key, i) => {
          const res = await postJson(url, apiKey, {
            ...benchTicketBody(i, policyId, customerOf(i)),
            requesterEmail: `${key}@${BENCH_MAIL_DOMAIN}`,
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status !== 201) throw new Error(`POST /v1/tickets answered ${res.status}`);
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
      }),
    );
  } finally {
    await closeServer(server);
  }

  const ratio = tickets.run.perSecond / baseline.run.perSecond;
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
    'load 1m start/end': `${p.load1.start.toFixed(2)} / ${p.load1.end.toFixed(2)}`,
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
  console.log(`ticket openings / baseline rate: ${ratio.toFixed(2)}x (goal >= ${GOAL.toFixed(2)}x) ${ratio >= GOAL ? 'MET' : 'NOT MET'}`);
  console.log(`tickets acknowledged more than once: ${duplicateAcks}`);
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
    goal: GOAL,
    statuses: Object.fromEntries(statuses),
    duplicateAcks,
  });
  console.log(`-> ${file}`);
  return { tickets, baseline, ratio, goal: GOAL };
}
