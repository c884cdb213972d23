import type { CatalogStore } from '../catalog/catalog-store';
import { catalogProblems, type Catalog, type CatalogVersion } from '../domain/catalog/index';
import type { PlanDefinition } from '../domain/subscription';
import type { PolicyStore } from '../tickets/policy-store';
import { catalogPatchBody, catalogVersionSchema, planBody, planListSchema, planSchema, versionQuery } from './catalog-schemas';
import { notFound, Problem } from './problem';
import type { Api } from './route';
import { slugParam } from './schemas';

export interface CatalogRoutesDeps {
  catalog: CatalogStore;
  policies: PolicyStore;
}

const ALL = ['customer', 'reseller', 'staff', 'admin'] as const;

async function readVersion(store: CatalogStore, version?: number): Promise<CatalogVersion> {
  const v = version === undefined ? await store.current() : await store.version(version);
  if (!v) throw notFound(`Catalog version ${version}`);
  return v;
}

/**
 * Every reference checked against the policies that exist now, then the next version stored. An edit that
 * names no `basedOnVersion` applies to whatever is stored last (the store re-reads and re-applies it when
 * another process publishes at the same moment); one that names it is refused once the catalog moved on.
 */
async function publish(deps: CatalogRoutesDeps, change: (c: Catalog) => Catalog, by: string, note: string, basedOn?: number) {
  const stored = await deps.catalog.publish((c) => checked(deps, change(c)), by, note, basedOn);
  if (stored !== 'conflict') return stored;
  const detail = basedOn === undefined ? 'Other changes kept being published at the same moment' : `The catalog is past version ${basedOn}`;
  throw new Problem(409, 'version_conflict', `${detail}; read it again and retry.`);
}

async function checked(deps: CatalogRoutesDeps, next: Catalog): Promise<Catalog> {
  const ids = new Set([
    ...Object.values(next.plans).flatMap((p) => (p.policyId ? [p.policyId] : [])),
    ...Object.values(next.vendors).flatMap((v) => [...v.policyIds, ...v.paidPolicyIds]),
  ]);
  const known = new Set<string>();
  for (const id of ids) if (await deps.policies.get(id)) known.add(id);
  const problems = catalogProblems(next, (id) => known.has(id));
  if (problems.length) {
    throw new Problem(
      422,
      'invalid_catalog',
      'The catalog would refer to something it does not hold.',
      problems.map((p) => ({ path: `body.${p.path}`, message: p.message })),
    );
  }
  return next;
}

export function catalogRoutes(api: Api, deps: CatalogRoutesDeps): void {
  api.route({
    method: 'get',
    path: '/v1/plans',
    tag: 'Catalog',
    summary: 'List the plans on sale',
    description: 'From the current catalog version, or `?version=` for the one a subscription pinned.',
    roles: ALL,
    query: versionQuery,
    responses: {
      200: { description: 'The plans with their prices.', schema: planListSchema },
      404: { description: 'No catalog version with that number.' },
    },
    async handler({ query }) {
      const v = await readVersion(deps.catalog, query.version);
      const items = Object.values(v.catalog.plans).sort((a, b) => a.family.localeCompare(b.family) || a.rank - b.rank);
      return { status: 200, body: { catalogVersion: v.version, items } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/plans/:id',
    tag: 'Catalog',
    summary: 'Read a plan',
    roles: ALL,
    params: slugParam,
    query: versionQuery,
    responses: { 200: { description: 'The plan.', schema: planSchema }, 404: { description: 'No such plan, or no such version.' } },
    async handler({ params: { id }, query }) {
      const v = await readVersion(deps.catalog, query.version);
      const plan = Object.hasOwn(v.catalog.plans, id) ? v.catalog.plans[id] : undefined;
      if (!plan) throw notFound(`Plan ${id}`);
      return { status: 200, body: plan, headers: { 'Catalog-Version': String(v.version) } };
    },
  });

  api.route({
    method: 'put',
    path: '/v1/plans/:id',
    tag: 'Catalog',
    summary: 'Change or add a plan',
    description:
      'Publishes the next catalog version with this plan. New subscriptions and renewals are priced on it; a running term keeps the version it was sold on. `basedOnVersion` refuses the change (409) when the catalog moved on.',
    roles: ['admin'],
    params: slugParam,
    body: planBody,
    responses: {
      201: { description: 'Published as the next catalog version.', schema: catalogVersionSchema },
      409: { description: 'The catalog moved on since `basedOnVersion`.' },
    },
    async handler({ params: { id }, body, principal }) {
      const { basedOnVersion, ...plan } = body;
      if (plan.id !== undefined && plan.id !== id)
        throw new Problem(422, 'validation_failed', 'The request body is invalid.', [
          { path: 'body.id', message: `must be ${id} (the path)` },
        ]);
      const def = { ...plan, id } as PlanDefinition;
      const v = await publish(deps, (c) => ({ ...c, plans: { ...c.plans, [id]: def } }), principal.keyId, `plan ${id}`, basedOnVersion);
      return { status: 201, body: v, headers: { 'Catalog-Version': String(v.version) } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/catalog',
    tag: 'Catalog',
    summary: 'Read the whole catalog',
    description:
      'Plans, per-ticket products, hourly rates, quote terms, hardware, vendor advice and the assumptions behind each invented figure.',
    roles: ['staff', 'admin'],
    query: versionQuery,
    responses: {
      200: { description: 'One catalog version.', schema: catalogVersionSchema },
      404: { description: 'No catalog version with that number.' },
    },
    async handler({ query }) {
      return { status: 200, body: await readVersion(deps.catalog, query.version) };
    },
  });

  api.route({
    method: 'put',
    path: '/v1/catalog',
    tag: 'Catalog',
    summary: 'Replace sections of the catalog',
    description: 'Each section sent replaces the stored one; the result is published as the next version.',
    roles: ['admin'],
    body: catalogPatchBody,
    responses: {
      201: { description: 'Published as the next catalog version.', schema: catalogVersionSchema },
      409: { description: 'The catalog moved on since `basedOnVersion`.' },
    },
    async handler({ body, principal }) {
      const { basedOnVersion, note, ...sections } = body;
      const v = await publish(deps, (c) => ({ ...c, ...sections }) as Catalog, principal.keyId, note ?? 'catalog sections', basedOnVersion);
      return { status: 201, body: v, headers: { 'Catalog-Version': String(v.version) } };
    },
  });
}
