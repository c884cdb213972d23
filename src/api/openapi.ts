import { z } from 'zod';
import type { RouteDoc } from './route';
import { problemSchema } from './schemas';

type Json = Record<string, unknown>;

/** Refs point into components, where every schema with a `.meta({ id })` lands once. */
function relocate(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relocate);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : relocate(v),
      ]),
    );
  }
  return node;
}

class SchemaSet {
  readonly components: Record<string, unknown> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const { $schema: _s, $defs, ...root } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
    for (const [id, def] of Object.entries(($defs ?? {}) as Json)) this.components[id] ??= relocate(def);
    return relocate(root) as Json;
  }
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** Parameters from the same strict objects the routes parse req.params and req.query with. */
function parameters(set: SchemaSet, doc: RouteDoc): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ['path', doc.params],
    ['query', doc.query],
  ] as const) {
    if (!schema) continue;
    const json = set.convert(schema, 'input');
    const props = (json.properties ?? {}) as Record<string, Json>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, s] of Object.entries(props)) {
      const { description, ...rest } = s;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  }
  return out;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operation(set: SchemaSet, doc: RouteDoc): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    responses[status] =
      Number(status) >= 400 || !r.schema
        ? problem(r.description)
        : { description: r.description, content: { 'application/json': { schema: set.convert(r.schema, 'output') } } };
  }
  const authed = doc.roles !== 'public';
  const add = (status: number, description: string) => {
    responses[status] ??= problem(description);
  };
  if (authed) {
    add(401, 'No key, or an unknown or revoked one (WWW-Authenticate: Bearer).');
    add(403, `Allowed for: ${(doc.roles as readonly string[]).join(', ')}.`);
    add(429, 'Rate limit of this key exceeded (Retry-After).');
  }
  if (doc.scoped || doc.params) add(404, 'No such object, or one of another tenant.');
  if (doc.params || doc.query || doc.body) add(422, 'Validation failed; errors[] names each field.');
  if (doc.body) {
    add(400, 'Malformed JSON.');
    add(413, 'Body over 256 kB.');
    add(415, 'Body not application/json.');
  }
  if (doc.method === 'post' && authed) add(409, 'Refused in the current state, or a request with this Idempotency-Key is still running.');
  if (authed) add(503, 'Temporal or PostgreSQL unreachable (Retry-After).');
  const params = parameters(set, doc);
  if (doc.method === 'post' && authed) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retries with the same key and body replay the first response; a different body answers 422.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  return {
    operationId: `${doc.method}${toOpenApiPath(doc.path)
      .replace(/[{}]/g, '')
      .replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(authed ? { 'x-roles': doc.roles } : { security: [] }),
    ...(params.length ? { parameters: params } : {}),
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: set.convert(doc.body, 'input') } } } } : {}),
    responses,
  };
}

/** OpenAPI 3.1 (JSON Schema 2020-12) generated from the route definitions, i.e. from the zod schemas the routes validate with. */
export function buildOpenApi(docs: RouteDoc[]): Json {
  const set = new SchemaSet();
  set.convert(problemSchema, 'output');
  const paths: Record<string, Json> = {};
  for (const doc of docs) {
    const p = (paths[toOpenApiPath(doc.path)] ??= {});
    p[doc.method] = operation(set, doc);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'supportflow API',
      version: '1',
      description:
        'Support promises (ticket SLAs, subscriptions) run as Temporal workflows. Errors are RFC 9457 problem+json. Roles: customer, reseller, staff, admin (see x-roles on each operation).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
      schemas: set.components,
    },
  };
}
