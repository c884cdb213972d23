import type { Client, WorkflowStartOptions } from '@temporalio/client';
import type { SupportPolicy } from '../../src/domain/ticket/policy';
import { presetPolicyStore, type PolicyStore } from '../../src/tickets/policy-store';
import type { Contacts } from '../../workflows/ticket/contract';

const HOUR_MS = 3_600_000;
const WALL_POLICY = /^bench-wall-(\d+)(?:-reopen-(\d+))?$/;

export const benchContacts: Contacts = { teamLeadEmail: 'team-lead@bench.test', devTeamEmail: 'development@bench.test' };

/**
 * A policy id that promises the first response `inMs` after opening, on the wall clock, 24/7; a closed
 * ticket can be reopened for `reopenMs` (default 14 days), after which its workflow completes.
 */
export function wallPolicyId(inMs: number, reopenMs?: number): string {
  return `bench-wall-${Math.max(0, Math.round(inMs))}${reopenMs === undefined ? '' : `-reopen-${reopenMs}`}`;
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

/** Presets plus `bench-wall-<ms>` policies made up on demand, so each ticket can have its own deadline. */
export function benchPolicyStore(): PolicyStore {
  const presets = presetPolicyStore();
  return {
    get: async (id) => {
      const m = WALL_POLICY.exec(id);
      return m ? wallClockPolicy(id, Number(m[1]), m[2] === undefined ? undefined : Number(m[2])) : presets.get(id);
    },
  };
}

export function benchTicketBody(i: number, policyId: string, customerId = `bench-${i % 50}`) {
  return {
    customerId,
    requesterEmail: `requester-${i}@bench.test`,
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
