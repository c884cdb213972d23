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
const operationId = (doc: Pick<RouteDoc, 'method' | 'path'>) =>
  `${doc.method}${toOpenApiPath(doc.path)
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase())}`;

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

/** What a success without a zod schema answers: a text body (Reply.text), e.g. the Prometheus exposition. */
const TEXT_BODY = 'text/plain';

function success(set: SchemaSet, doc: RouteDoc, r: RouteDoc['responses'][number]): Json {
  if (r.schema) {
    const also = r.alsoAs ? { [r.alsoAs]: { schema: { type: 'string' } } } : {};
    return { description: r.description, content: { 'application/json': { schema: set.convert(r.schema, 'output') }, ...also } };
  }
  return { description: r.description, content: { [doc.contentType ?? TEXT_BODY]: { schema: { type: 'string' } } } };
}

function operation(set: SchemaSet, doc: RouteDoc): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    responses[status] = Number(status) >= 400 ? problem(r.description) : success(set, doc, r);
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
      // The same rule as route.ts's IDEMPOTENCY_KEY: 1-255 visible ASCII characters.
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
    });
  }
  return {
    operationId: operationId(doc),
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(authed ? { 'x-roles': doc.roles } : { security: [] }),
    ...(params.length ? { parameters: params } : {}),
    // A request without a body is read as `{}` (route.ts): the body is required only where `{}` is refused.
    ...(doc.body
      ? {
          requestBody: {
            required: !doc.body.safeParse({}).success,
            content: { 'application/json': { schema: set.convert(doc.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The operations addressing one object of a collection: `<collection>/:id` and every `<collection>/:id/...`. */
const onObjectOf = (collection: string) => (doc: RouteDoc) => doc.path === `${collection}/:id` || doc.path.startsWith(`${collection}/:id/`);

const schemaOf = (response: Json | undefined) =>
  (response?.content as Record<string, { schema?: Json }> | undefined)?.['application/json']?.schema;

/** A schema with its own `$ref` followed into the components. */
function deref(schema: unknown, set: SchemaSet): Json | undefined {
  const s = schema as Json | undefined;
  return typeof s?.$ref === 'string' ? (set.components[s.$ref.replace('#/components/schemas/', '')] as Json | undefined) : s;
}
const property = (schema: unknown, name: string, set: SchemaSet) => (deref(schema, set)?.properties as Json | undefined)?.[name];

/**
 * OpenAPI links, derived from the route list so that a new action is linked without anyone writing it
 * down. For each collection `C` with operations on `C/{id}`:
 * - the 201 of `POST C`, when it answers an `id`, links to every operation on `C/{id}...` (`$response.body#/id`);
 * - the 200 of `GET C`, when its `items` carry an `id`, links to `GET C/{id}` with the first item;
 * - every success of an operation on `C/{id}...` links to the others with the same id (`$request.path.id`),
 *   except a 201 answering what `POST C` answers (a reply's follow-up ticket): that one is a new object.
 * A client, or a stateful fuzzer, can so follow a ticket from its opening through every action.
 */
function addLinks(paths: Record<string, Json>, docs: RouteDoc[], set: SchemaSet): void {
  const responsesOf = (doc: RouteDoc) => (paths[toOpenApiPath(doc.path)]?.[doc.method] as { responses: Record<string, Json> }).responses;
  const links = (targets: RouteDoc[], id: string, what: string) =>
    Object.fromEntries(
      targets.map((t) => [operationId(t), { operationId: operationId(t), parameters: { id }, description: `${t.summary}: ${what}.` }]),
    );
  const collections = new Set(docs.filter((d) => d.path.endsWith('/:id')).map((d) => d.path.slice(0, -'/:id'.length)));
  for (const collection of collections) {
    const onObject = docs.filter(onObjectOf(collection));
    const create = docs.find((d) => d.method === 'post' && d.path === collection);
    const created = create ? responsesOf(create)['201'] : undefined;
    const createdSchema = created && property(schemaOf(created), 'id', set) ? JSON.stringify(schemaOf(created)) : undefined;
    if (created && createdSchema) created.links = links(onObject, '$response.body#/id', 'the object just created');

    const list = docs.find((d) => d.method === 'get' && d.path === collection);
    const listed = list ? responsesOf(list)['200'] : undefined;
    const read = onObject.filter((d) => d.method === 'get' && d.path === `${collection}/:id`);
    const item = (deref(property(schemaOf(listed), 'items', set), set) as { items?: unknown } | undefined)?.items;
    if (listed && read.length && property(item, 'id', set))
      listed.links = links(read, '$response.body#/items/0/id', 'the first object of the page');

    for (const from of onObject) {
      for (const [status, response] of Object.entries(responsesOf(from))) {
        if (Number(status) < 200 || Number(status) >= 300 || !response.content) continue;
        const another = createdSchema !== undefined && status === '201' && JSON.stringify(schemaOf(response)) === createdSchema;
        const siblings = onObject.filter((t) => t !== from);
        if (another) response.links = links(onObject, '$response.body#/id', 'the object this answer created');
        else if (siblings.length) response.links = links(siblings, '$request.path.id', 'the same object');
      }
    }
  }
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
  addLinks(paths, docs, set);
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
