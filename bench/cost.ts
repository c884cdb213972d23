import type { Client } from '@temporalio/client';
import type { ChangeFeed } from '../src/db/change-feed';
import proto from '@temporalio/proto';
import { benchApp } from './harness/bench-app';
import type { Db } from '../src/db/client';
import { devTicketWorkflowId, ticketWorkflowId } from '../workflows/ticket/contract';
import { benchCustomer, benchPolicyStore, benchTicketBody, seedBenchCustomers, wallPolicyId } from './harness/bench-ticket';
import { staffApiKey } from './harness/bench-db';
import { closeServer, jsonHeaders, listen, openTicket } from './harness/http';
import { envInt, table, writeResult } from './harness/report';

// The proto package is CommonJS: a default import is what works under both tsx and tsc.
const T = proto.temporal.api.enums.v1.EventType;
type History = proto.temporal.api.history.v1.IHistory;

/**
 * What Temporal Cloud bills as an action, read off the history by its published rules
 * (docs.temporal.io/cloud/actions):
 * - the start;
 * - every activity scheduled, and every retry attempt beyond the first;
 * - timers, accepted updates and search-attribute upserts;
 * - signals, received or sent;
 * - continue-as-new;
 * - local activities and other markers: one per workflow task that records any, however many it records;
 * - a child's start: two, the parent's intent and the start.
 * One action that shows in two histories (a child's start, a signal between workflows) is counted
 * where it was sent. Workflow-task and completion events are history, not actions. Cancel requests to
 * another workflow and memo changes are not in the published list, so they are not counted. Queries are
 * billed but leave no event, so they are not in these figures.
 */
const ACTION_EVENTS = new Set<number>([
  T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  T.EVENT_TYPE_TIMER_STARTED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
]);

export function countHistory(history: History) {
  const byType: Record<string, number> = {};
  // The events in order, so a figure can be traced to the step that paid for it (bench/results/cost.json).
  const order: string[] = [];
  let actions = 0;
  const markerTasks = new Set<string>();
  for (const e of history.events ?? []) {
    const type = e.eventType ?? 0;
    const name = (T[type] ?? String(type)).replace('EVENT_TYPE_', '');
    byType[name] = (byType[name] ?? 0) + 1;
    order.push(name);
    const countedAtSender =
      (type === T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED && e.workflowExecutionStartedEventAttributes?.parentWorkflowExecution) ||
      (type === T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && e.workflowExecutionSignaledEventAttributes?.externalWorkflowExecution);
    if (ACTION_EVENTS.has(type) && !countedAtSender) actions += 1;
    if (type === T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) actions += 2;
    if (type === T.EVENT_TYPE_MARKER_RECORDED) markerTasks.add(String(e.markerRecordedEventAttributes?.workflowTaskCompletedEventId));
    if (type === T.EVENT_TYPE_ACTIVITY_TASK_STARTED) actions += Math.max(0, (e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
  }
  actions += markerTasks.size;
  return { events: history.events?.length ?? 0, actions, byType, order };
}

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function waitClosed(client: Client, workflowId: string, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const status = (await client.workflow.getHandle(workflowId).describe()).status.name;
    if (status !== 'RUNNING' || Date.now() > end) return status;
    await sleep(500);
  }
}

interface Step {
  name: string;
  path?: string;
  body?: object;
  waitMs?: number;
}

/**
 * Billable actions and history events per ticket for two lifecycles driven through the API, counted from
 * the real histories (the ticket workflow plus its development child when there is one). Short reopen
 * windows let each workflow run to completion, so the histories are whole.
 */
export async function runCostBench(ctx: { client: Client; db: Db; changes: ChangeFeed }) {
  const port = envInt('BENCH_API_PORT', 13000) + 2;
  const apiKey = await staffApiKey(ctx.db);
  const policies = benchPolicyStore();
  const app = benchApp({ client: ctx.client, db: ctx.db, changes: ctx.changes, policies });
  const server = await listen(app, port);
  const base = `http://127.0.0.1:${port}`;
  const post = async (path: string, body: object) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: jsonHeaders(apiKey),
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const json = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    return { status: res.status, detail: res.status >= 300 ? `${json.code ?? ''} ${json.detail ?? ''}`.trim() : undefined };
  };
  const agent = { agent: 'bench-agent' };
  const lifecycles: Record<string, { firstResponseMs: number; steps: Step[] }> = {
    standard: {
      firstResponseMs: 3_600_000,
      steps: [
        { name: 'respond', path: 'respond', body: { ...agent, message: 'Looking into it.' } },
        { name: 'resolve', path: 'resolve', body: { ...agent, resolution: 'solution', note: 'Fixed.' } },
        { name: 'close', path: 'close', body: agent },
      ],
    },
    escalated: {
      firstResponseMs: 2_000,
      steps: [
        { name: 'first-response breach fires', waitMs: 5_000 },
        { name: 'respond', path: 'respond', body: { ...agent, message: 'Sorry for the wait.' } },
        { name: 'escalate', path: 'escalate', body: { ...agent, summary: 'Needs a code fix.' } },
        { name: 'development progress', path: 'development/progress', body: { engineer: 'dev', note: 'Reproduced.' } },
        { name: 'development resolve', path: 'development/resolve', body: { engineer: 'dev', note: 'Patched.' } },
        { name: 'resolve', path: 'resolve', body: { ...agent, resolution: 'solution', note: 'Patched in 1.2.3.' } },
        { name: 'close', path: 'close', body: agent },
      ],
    },
  };

  const policyOf = (lc: { firstResponseMs: number }) => wallPolicyId(lc.firstResponseMs, 2_000);
  const customerId = 'bench-cost';

  try {
    // The customer holds a contract on each lifecycle's policy, so its tickets may name them.
    await seedBenchCustomers(ctx.db, policies, [benchCustomer(customerId, Object.values(lifecycles).map(policyOf))]);
    console.log('\n== 3. Cost per ticket: billable actions and history events from real histories');
    const results: Record<string, object> = {};
    const rows: Array<Record<string, string | number>> = [];
    for (const [name, lc] of Object.entries(lifecycles)) {
      const opened = await openTicket(base, apiKey, benchTicketBody(0, policyOf(lc), customerId));
      if (!opened.ticket) throw new Error(`opening the ${name} ticket answered ${opened.status}`);
      const id = opened.ticket.id;
      const steps: Array<{ step: string; status: number | string; detail?: string }> = [{ step: 'open', status: opened.status }];
      await sleep(1_500);
      for (const s of lc.steps) {
        if (s.waitMs) await sleep(s.waitMs);
        if (!s.path) {
          steps.push({ step: s.name, status: 'waited' });
          continue;
        }
        const r = await post(`/v1/tickets/${id}/${s.path}`, s.body ?? {});
        steps.push({ step: s.name, status: r.status, ...(r.detail ? { detail: r.detail } : {}) });
        await sleep(300);
      }
      const status = await waitClosed(ctx.client, ticketWorkflowId(id), envInt('BENCH_COST_WAIT_S', 20) * 1000);
      const ticket = countHistory(await ctx.client.workflow.getHandle(ticketWorkflowId(id)).fetchHistory());
      const dev = await ctx.client.workflow
        .getHandle(devTicketWorkflowId(id))
        .fetchHistory()
        .then(countHistory)
        .catch(() => undefined);
      const actions = ticket.actions + (dev?.actions ?? 0);
      const events = ticket.events + (dev?.events ?? 0);
      results[name] = { ticketId: id, workflowStatus: status, steps, actions, events, ticket, development: dev ?? null };
      rows.push({
        lifecycle: name,
        'steps (HTTP status)': steps.map((s) => `${s.step}:${s.status}`).join(' '),
        workflow: status,
        actions,
        'history events': events,
        'of which dev child': dev ? `${dev.actions} actions / ${dev.events} events` : '-',
      });
      for (const s of steps.filter((x) => x.detail)) console.log(`  ${name}: ${s.step} answered ${s.status} ${s.detail}`);
    }
    console.log(table(rows));
    console.log(
      'actions = started + activities scheduled (+ retries) + timers + updates accepted + signals + 2 per child + continue-as-new + SA upserts + 1 per workflow task with markers (docs.temporal.io/cloud/actions)',
    );
    const file = writeResult('cost', { countingRule: 'see bench/cost.ts ACTION_EVENTS', lifecycles: results });
    console.log(`-> ${file}`);
    return results;
  } finally {
    await closeServer(server);
  }
}
