import { sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { ChangeFeed } from '../src/db/change-feed';
import type { Db } from '../src/db/client';
import { ticketEvents, tickets } from '../src/db/schema';
import { benchApp } from './harness/bench-app';
import { benchPolicyStore } from './harness/bench-ticket';
import { staffApiKey } from './harness/bench-db';
import { closeServer, jsonHeaders, listen } from './harness/http';
import { envInt, table, writeResult } from './harness/report';
import { summarize } from './harness/stats';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * N tickets on a preset policy opened over the last 20 days, with the journal a ticket leaves: opened,
 * most answered, many waiting on and hearing from the customer, half resolved, some breached.
 */
async function seed(db: Db, n: number, tag: string): Promise<void> {
  const now = Date.now();
  for (let from = 0; from < n; from += 500) {
    const ids = Array.from({ length: Math.min(500, n - from) }, (_, k) => from + k);
    const rows = ids.map((i) => {
      const openedAt = new Date(now - 20 * DAY + (i * 20 * DAY) / n);
      return {
        id: `R-${tag}-${i}`,
        workflowId: `ticket-R-${tag}-${i}`,
        customerId: `report-${i % 40}`,
        policyId: 'mailup-standard',
        policyVersion: 1,
        priority: 'normal',
        status: i % 2 ? 'resolved' : 'in_progress',
        subject: 'Report bench',
        requesterEmail: 'ann@example.test',
        openedAt,
        updatedAt: openedAt,
      };
    });
    await db.insert(tickets).values(rows);
    const events = ids.flatMap((i) => {
      const at = now - 20 * DAY + (i * 20 * DAY) / n;
      const ticketId = `R-${tag}-${i}`;
      const e = (k: number, kind: string, status: string, data: Record<string, unknown> = {}) => ({
        ticketId,
        eventKey: `${kind}:${k}`,
        kind,
        at: new Date(at + k * HOUR),
        data: { status, ...data },
      });
      const out = [e(0, 'opened', 'new', { priority: 'normal' })];
      if (i % 10 === 0) out.push(e(5, 'breach', 'new', { clock: 'first_response' }));
      if (i % 10 !== 9) out.push(e(2, 'respond', 'answered'));
      if (i % 3 === 0) out.push(e(3, 'request_info', 'waiting_on_customer'), e(4, 'customer_reply', 'in_progress'));
      if (i % 2) out.push(e(6, 'resolve', 'resolved'));
      return out;
    });
    await db.insert(ticketEvents).values(events);
  }
}

/**
 * The SLA report through the API (`GET /v1/reports/sla`, 30 days by policy and by week) over N tickets,
 * against BASELINE: one pass of PostgreSQL over the same tickets and their journal (a count), the least
 * any report of them reads. The ratio says whether the report stays a few passes over its data as N grows.
 */
export async function runReportBench(ctx: { client: Client; db: Db; changes: ChangeFeed }) {
  const n = envInt('BENCH_REPORT_TICKETS', 5000);
  const runs = envInt('BENCH_REPORT_RUNS', 3);
  const tag = Date.now().toString(36);
  console.log(`\n== 5. SLA report over ${n} tickets (median of ${runs} runs after one untimed)`);
  const seededAt = Date.now();
  await seed(ctx.db, n, tag);
  // Planner statistics as a live database has them, not those of the moment before the bulk insert.
  await ctx.db.execute(sql`analyze tickets, ticket_events`);
  console.log(`setup: ${n} tickets and their journal in ${((Date.now() - seededAt) / 1000).toFixed(1)} s (not timed)`);
  const apiKey = await staffApiKey(ctx.db);
  const server = await listen(benchApp({ client: ctx.client, db: ctx.db, changes: ctx.changes, policies: benchPolicyStore() }), 0);
  const port = (server.address() as { port: number }).port;
  const to = new Date(Math.ceil((Date.now() + 1) / DAY) * DAY);
  const from = new Date(to.getTime() - 30 * DAY);
  const median = async (f: () => Promise<unknown>) => {
    await f();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await f();
      times.push(performance.now() - t0);
    }
    return summarize(times).p50;
  };
  try {
    const report = (groupBy: string) => async () => {
      const url = `http://127.0.0.1:${port}/v1/reports/sla?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=${groupBy}`;
      const res = await fetch(url, { headers: jsonHeaders(apiKey) });
      if (res.status !== 200) throw new Error(`GET /v1/reports/sla answered ${res.status}: ${await res.text()}`);
      await res.json();
    };
    // Every column the report reads, once: the tickets in the period and their journal.
    const scan = () => ctx.db.execute(sqlScan(from, to));
    const byPolicy = await median(report('policy'));
    const byWeek = await median(report('week'));
    const baseline = await median(scan);
    const rows = [
      { query: 'GET /v1/reports/sla?groupBy=policy', 'median ms': byPolicy.toFixed(0), 'x baseline': (byPolicy / baseline).toFixed(1) },
      { query: 'GET /v1/reports/sla?groupBy=week', 'median ms': byWeek.toFixed(0), 'x baseline': (byWeek / baseline).toFixed(1) },
      { query: 'BASELINE: one pass over the tickets and their journal', 'median ms': baseline.toFixed(0), 'x baseline': '1.0' },
    ];
    console.log(table(rows));
    console.log(`-> ${writeResult('report', { tickets: n, runs, byPolicyMs: byPolicy, byWeekMs: byWeek, baselineMs: baseline })}`);
  } finally {
    await closeServer(server);
  }
}

function sqlScan(from: Date, to: Date) {
  return sql`select count(*), sum(length(e.data::text)), max(e.at) from tickets t join ticket_events e on e.ticket_id = t.id
             where t.opened_at >= ${from.toISOString()}::timestamptz and t.opened_at < ${to.toISOString()}::timestamptz`;
}
