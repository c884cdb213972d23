import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { policies } from '../db/schema';
import { policyPresets } from '../domain/ticket/policy-presets';
import { presetAtVersion } from '../domain/ticket/superseded-presets';
import { supportPolicySchema, type SupportPolicy } from '../domain/ticket/index';
import type { CalendarStore } from '../tickets/calendar-store';
import type { PolicyStore } from '../tickets/policy-store';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { frozenCalendars } from '../tickets/ticket-calendars';
import { policyFingerprint } from '../tickets/policy-fingerprint';
import { POLICY_TASK_QUEUE, policyChangeWorkflowId, policyStoredUpdate, type PolicyChangeInput } from '../../workflows/policy/contract';
import { policyChangeWorkflow } from '../../workflows/policy/policy-change-workflow';
import { notFound, Problem } from './problem';
import { checkPolicy, policyInputSchema, policySchema } from './policy-input';
import type { Api } from './route';
import { slugParam } from './schemas';

export interface PolicyRoutesDeps {
  client: Client;
  taskQueue?: string;
  db: Db;
  policies: PolicyStore;
  calendars: CalendarStore;
}

const ALL = ['customer', 'reseller', 'staff', 'admin'] as const;
const summarySchema = z.strictObject({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  calendarId: z.string(),
  zone: z.string(),
  source: z.enum(['preset', 'stored']),
});
const listSchema = z.strictObject({ items: z.array(summarySchema) }).meta({ id: 'PolicyList' });
const versionQuery = z.strictObject({
  version: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'expected a version number')
    .transform(Number)
    .optional(),
});
const recomputeSchema = z
  .strictObject({
    workflowId: z.string().describe('The policy-change workflow walking the open tickets onto this version (Temporal UI).'),
    status: z.literal('scheduled'),
  })
  .meta({ id: 'PolicyRecompute' });
const putResult = z
  .strictObject({ policy: policySchema, created: z.boolean(), recompute: recomputeSchema })
  .meta({ id: 'PolicyChangeResult' });

export async function storedPolicy(db: Db, id: string, version?: number): Promise<SupportPolicy | undefined> {
  const [row] = await db
    .select({ spec: policies.spec })
    .from(policies)
    .where(version === undefined ? eq(policies.id, id) : and(eq(policies.id, id), eq(policies.version, version)))
    .orderBy(desc(policies.version))
    .limit(1);
  return row ? supportPolicySchema.parse(row.spec) : undefined;
}

/** The exact version a ticket pinned: a stored row, or the preset at that version (current or superseded). */
export async function pinnedPolicy(db: Db, id: string, version: number): Promise<SupportPolicy | undefined> {
  return (await storedPolicy(db, id, version)) ?? presetAtVersion(id, version);
}

export function policyRoutes(api: Api, deps: PolicyRoutesDeps): void {
  api.route({
    method: 'get',
    path: '/v1/policies',
    tag: 'Policies',
    summary: 'List support policies',
    description: 'Built-in presets and stored policies, each at its latest version.',
    roles: ALL,
    responses: { 200: { description: 'Every policy.', schema: listSchema } },
    async handler() {
      const latest = new Map<string, { policy: SupportPolicy; source: 'preset' | 'stored' }>();
      for (const p of Object.values(policyPresets)) latest.set(p.id, { policy: p, source: 'preset' });
      const rows = await deps.db.select({ spec: policies.spec }).from(policies).orderBy(policies.id, policies.version);
      for (const row of rows) {
        const p = supportPolicySchema.parse(row.spec);
        if ((latest.get(p.id)?.policy.version ?? 0) <= p.version) latest.set(p.id, { policy: p, source: 'stored' });
      }
      const items = [...latest.values()]
        .map(({ policy: p, source }) => ({ id: p.id, version: p.version, name: p.name, calendarId: p.calendarId, zone: p.zone, source }))
        .sort((a, b) => a.id.localeCompare(b.id));
      return { status: 200, body: { items } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/policies/:id',
    tag: 'Policies',
    summary: 'Read a support policy',
    description: 'The latest version, or `?version=` for the one a ticket pinned.',
    roles: ALL,
    params: slugParam,
    query: versionQuery,
    responses: { 200: { description: 'The policy.', schema: policySchema } },
    async handler({ params: { id }, query: { version } }) {
      const stored = await storedPolicy(deps.db, id, version);
      if (stored) return { status: 200, body: { ...stored, source: 'stored' } };
      const preset = (version === undefined ? policyPresets[id] : presetAtVersion(id, version)) ?? (await deps.policies.get(id));
      if (!preset || (version !== undefined && preset.version !== version))
        throw notFound(`Policy ${id}${version ? ` version ${version}` : ''}`);
      return { status: 200, body: { ...preset, source: 'preset' } };
    },
  });

  api.route({
    method: 'put',
    path: '/v1/policies/:id',
    tag: 'Policies',
    summary: 'Store a new policy version',
    description:
      'Validated by computing every target for a ticket opened now, then stored as the next version (201) by a durable policy-change workflow, which goes on to recompute every open ticket pinned to this policy id on the new terms (time already used stays used), page by page. The reply comes once the version is stored; `recompute.workflowId` names the walk. Sending the latest version again stores nothing (200) and starts the walk only if it never ran, so a retried PUT is safe. A `version` in the body must be the next one (optimistic concurrency).',
    roles: ['admin'],
    params: slugParam,
    body: policyInputSchema,
    responses: {
      200: { description: 'Unchanged; open tickets recomputed.', schema: putResult },
      201: { description: 'Stored as a new version; open tickets recomputed.', schema: putResult },
      409: { description: 'Version conflict.' },
    },
    async handler({ params: { id }, body, annotate }) {
      if (body.id !== undefined && body.id !== id)
        throw new Problem(422, 'validation_failed', 'The request body is invalid.', [
          { path: 'body.id', message: `must be ${id} (the path)` },
        ]);
      const stored = await storedPolicy(deps.db, id);
      const current = stored ?? policyPresets[id];
      const nextVersion = (current?.version ?? 0) + 1;
      const draft = await checkPolicy(deps, body, id, current?.version ?? 1, 'body');
      const unchanged =
        current !== undefined &&
        policyFingerprint(draft.policy) === policyFingerprint(current) &&
        (body.version === undefined || body.version === current.version);
      let policy: SupportPolicy = current ?? draft.policy;
      if (!unchanged) {
        if (body.version !== undefined && body.version !== nextVersion) {
          throw new Problem(409, 'version_conflict', `The next version of ${id} is ${nextVersion}, not ${body.version}.`);
        }
        policy = { ...draft.policy, version: nextVersion };
      }
      annotate({ policyId: id, policyVersion: String(policy.version) });
      // Stored by the workflow that then recomputes the open tickets: both happen, or (start refused) neither.
      const fp = policyFingerprint(policy);
      const workflowId = policyChangeWorkflowId(id, policy.version);
      const input: PolicyChangeInput = {
        policy,
        fingerprint: fp,
        calendars: frozenCalendars([policy], draft.calendars, Date.now()),
        store: !unchanged,
      };
      let handle: WorkflowHandle<typeof policyChangeWorkflow>;
      try {
        handle = await deps.client.workflow.start(policyChangeWorkflow, {
          workflowId,
          taskQueue: deps.taskQueue ?? POLICY_TASK_QUEUE,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `Policy ${id}@${policy.version}: ${unchanged ? 'recompute' : 'store and recompute'} open tickets`,
        });
      } catch (err) {
        // This version's change ran before and finished: its tickets are on these terms already.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || !unchanged) throw err;
        handle = deps.client.workflow.getHandle(workflowId);
      }
      if (!unchanged) await handle.executeUpdate(policyStoredUpdate, { args: [{ fingerprint: fp }] });
      const recompute = { workflowId, status: 'scheduled' as const };
      const source = unchanged && !stored ? 'preset' : 'stored';
      return { status: unchanged ? 200 : 201, body: { policy: { ...policy, source }, created: !unchanged, recompute } };
    },
  });
}
