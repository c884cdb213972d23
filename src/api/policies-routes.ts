import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { policies } from '../db/schema';
import { policyPresets } from '../domain/ticket/policy-presets';
import { supportPolicySchema, type SupportPolicy } from '../domain/ticket/index';
import type { CalendarStore } from '../tickets/calendar-store';
import type { PolicyStore } from '../tickets/policy-store';
import type { Client } from '@temporalio/client';
import { notFound, Problem } from './problem';
import { checkPolicy, policyInputSchema, policySchema } from './policy-input';
import { openTicketsOfPolicy, recomputeSchema, recomputeTickets } from './recompute';
import type { Api } from './route';
import { slugParam } from './schemas';

export interface PolicyRoutesDeps {
  client: Client;
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
const putResult = z
  .strictObject({ policy: policySchema, created: z.boolean(), recomputed: recomputeSchema })
  .meta({ id: 'PolicyChangeResult' });

/** Key order must not make two equal policies look different. */
function fingerprint(p: SupportPolicy): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  const { version: _v, ...rest } = p;
  return createHash('sha256')
    .update(JSON.stringify(sort(rest)))
    .digest('hex');
}

export async function storedPolicy(db: Db, id: string, version?: number): Promise<SupportPolicy | undefined> {
  const [row] = await db
    .select({ spec: policies.spec })
    .from(policies)
    .where(version === undefined ? eq(policies.id, id) : and(eq(policies.id, id), eq(policies.version, version)))
    .orderBy(desc(policies.version))
    .limit(1);
  return row ? supportPolicySchema.parse(row.spec) : undefined;
}

/** The exact version a ticket pinned: a stored row, or the preset when the preset is that version. */
export async function pinnedPolicy(db: Db, id: string, version: number): Promise<SupportPolicy | undefined> {
  const stored = await storedPolicy(db, id, version);
  if (stored) return stored;
  const preset = policyPresets[id];
  return preset?.version === version ? preset : undefined;
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
      const preset = policyPresets[id] ?? (await deps.policies.get(id));
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
      'Validated, stored as the next version (201), then every open ticket pinned to this policy id gets its deadlines recomputed on the new terms (time already used stays used). Sending the latest version again stores nothing (200) and re-runs the recomputation, so a retried PUT is safe. A `version` in the body must be the next one (optimistic concurrency).',
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
        fingerprint(draft.policy) === fingerprint(current) &&
        (body.version === undefined || body.version === current.version);
      let policy: SupportPolicy = current ?? draft.policy;
      if (!unchanged) {
        if (body.version !== undefined && body.version !== nextVersion) {
          throw new Problem(409, 'version_conflict', `The next version of ${id} is ${nextVersion}, not ${body.version}.`);
        }
        policy = { ...draft.policy, version: nextVersion };
        const inserted = await deps.db
          .insert(policies)
          .values({ id, version: nextVersion, spec: policy as unknown as Record<string, unknown> })
          .onConflictDoNothing()
          .returning({ id: policies.id });
        if (!inserted.length)
          throw new Problem(409, 'version_conflict', `Version ${nextVersion} of ${id} was stored concurrently; read it and retry.`);
      }
      annotate({ policyId: id, policyVersion: String(policy.version) });
      const ids = await openTicketsOfPolicy(deps.db, id);
      const recomputed = await recomputeTickets(
        deps.client,
        ids.map((ticketId) => ({ ticketId, policy, calendars: draft.calendars })),
        `policy:${id}@${policy.version}`,
      );
      const source = unchanged && !stored ? 'preset' : 'stored';
      return { status: unchanged ? 200 : 201, body: { policy: { ...policy, source }, created: !unchanged, recomputed } };
    },
  });
}
