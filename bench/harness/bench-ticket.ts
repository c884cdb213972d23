import type { Client, WorkflowStartOptions } from '@temporalio/client';
import { createCustomer } from '../../src/accounts/account-service';
import { dbAccountStore } from '../../src/accounts/account-store';
import type { Db } from '../../src/db/client';
import type { Customer } from '../../src/domain/accounts/index';
import type { SupportPolicy } from '../../src/domain/ticket/policy';
import { presetPolicyStore, type PolicyStore } from '../../src/tickets/policy-store';
import type { Contacts } from '../../workflows/ticket/contract';
import { runConcurrent } from './pool';

const HOUR_MS = 3_600_000;
const WALL_POLICY = /^bench-wall-(\d+)(?:-reopen-(\d+))?$/;
const DUE_POLICY = /^bench-due-(\d+)$/;
/** Every benchmark requester writes from this domain, which every benchmark customer lists. */
export const BENCH_MAIL_DOMAIN = 'bench.test';
/** The intake benchmark spreads its tickets over this many customers (`bench-0` …). */
export const BENCH_CUSTOMERS = 50;

export const benchContacts: Contacts = { teamLeadEmail: 'team-lead@bench.test', devTeamEmail: 'development@bench.test' };

/**
 * A policy id that promises the first response `inMs` after opening, on the wall clock, 24/7; a closed
 * ticket can be reopened for `reopenMs` (default 14 days), after which its workflow completes.
 */
export function wallPolicyId(inMs: number, reopenMs?: number): string {
  return `bench-wall-${Math.max(0, Math.round(inMs))}${reopenMs === undefined ? '' : `-reopen-${reopenMs}`}`;
}

/**
 * A policy id whose first response is due at the epoch instant `dueAt`, on the wall clock: its target is
 * what is left until then when the ticket opens (the API reads the policy while opening). A customer's
 * contract can name it ahead of time, where a `bench-wall-<ms>` id would depend on when the ticket opens.
 */
export function duePolicyId(dueAt: number): string {
  return `bench-due-${Math.max(0, Math.round(dueAt))}`;
}

/** The one support policy the benchmarks need: every target on the wall clock, no warnings, nothing else. */
export function wallClockPolicy(id: string, firstResponseMs: number, reopenMs = 14 * 24 * HOUR_MS): SupportPolicy {
  const wall = (ms: number) => ({ ms, clock: 'wall' as const });
  return {
    id,
    version: 1,
    name: `Benchmark wall-clock ${firstResponseMs} ms`,
    calendarId: 'always-open-365',
    zone: 'UTC',
    defaultPriority: 'normal',
    priorities: { normal: { firstResponse: wall(firstResponseMs), nextReply: wall(24 * HOUR_MS) } },
    warnings: { fractions: [], basis: 'wall' },
    autoCloseAfter: wall(7 * 24 * HOUR_MS),
    reopenWindow: wall(reopenMs),
    requiredFields: [],
    legacyVersions: [],
    priorityRaisers: [],
    assumptions: ['Benchmark policy: a wall-clock first-response target chosen per ticket through its id.'],
  };
}

/**
 * Presets plus `bench-wall-<ms>` and `bench-due-<epoch ms>` policies made up on demand, so each ticket
 * can have its own deadline.
 */
export function benchPolicyStore(): PolicyStore {
  const presets = presetPolicyStore();
  return {
    get: async (id) => {
      const due = DUE_POLICY.exec(id);
      if (due) return wallClockPolicy(id, Math.max(0, Number(due[1]) - Date.now()));
      const m = WALL_POLICY.exec(id);
      return m ? wallClockPolicy(id, Number(m[1]), m[2] === undefined ? undefined : Number(m[2])) : presets.get(id);
    },
  };
}

/**
 * A benchmark customer: every address on the bench domain may open its tickets, and it holds one
 * open-ended contract per policy its tickets name (a client may only name policies bought).
 */
export function benchCustomer(id: string, policyIds: string[]): Customer {
  return {
    id,
    name: `Benchmark customer ${id}`,
    timeZone: 'UTC',
    vendorId: 'smartwork',
    contacts: [],
    domains: [BENCH_MAIL_DOMAIN],
    contracts: policyIds.map((policyId, i) => ({ id: `bench-k${i + 1}`, policyId, validFrom: '2000-01-01T00:00:00.000Z' })),
    systems: [],
  };
}

/**
 * Stores the customers the benchmark's tickets open for, checked as `POST /v1/customers` checks them
 * (their contracts' policies must exist). Setup, never part of a timed section; returns its wall time.
 */
export async function seedBenchCustomers(db: Db, policies: PolicyStore, customers: Customer[], concurrency = 8): Promise<number> {
  const deps = { accounts: dbAccountStore(db), policies };
  const run = await runConcurrent(customers.length, concurrency, async (i) => {
    const c = customers[i];
    if (c && !(await createCustomer(deps, c))) throw new Error(`customer ${c.id} already exists`);
  });
  if (run.failures) throw new Error(`${run.failures} of ${customers.length} benchmark customers not created: ${String(run.firstError)}`);
  return run.wallMs;
}

export function benchTicketBody(i: number, policyId: string, customerId = `bench-${i % BENCH_CUSTOMERS}`) {
  return {
    customerId,
    requesterEmail: `requester-${i}@${BENCH_MAIL_DOMAIN}`,
    subject: `Bench ticket ${i}`,
    description: 'Opened by the benchmark harness.',
    priority: 'normal',
    policyId,
  };
}

type StartArgs = [workflow: string, options: WorkflowStartOptions];

/**
 * Records the exact `client.workflow.start` call the API makes, so the engine-limit baseline replays the
 * same workflow, input and options without depending on the workflow's input shape.
 */
export function captureStarts(client: Client) {
  let last: StartArgs | undefined;
  const start = client.workflow.start.bind(client.workflow) as unknown as (...a: StartArgs) => ReturnType<Client['workflow']['start']>;
  (client.workflow as unknown as { start: (...a: StartArgs) => unknown }).start = (workflow, options) => {
    last = [typeof workflow === 'string' ? workflow : (workflow as { name: string }).name, options];
    return start(workflow, options);
  };
  return {
    /** Starts the last captured call again under a new workflow id. */
    replay(workflowId: string) {
      if (!last) throw new Error('no start call captured yet');
      return start(last[0], { ...last[1], workflowId });
    },
  };
}
