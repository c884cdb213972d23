import express, { type Request, type Response, type Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { z } from 'zod';
import { canSee, type Owner, type Principal, type Role } from '../auth/principal';
import type { Authenticator } from './authenticate';
import { requestHash, type IdempotencyStore } from './idempotency';
import type { Reply } from './reply';

export type { Reply } from './reply';
import { fromZod, notFound, Problem, type Where } from './problem';
import type { RateLimiter } from './rate-limit';
import { noQuery } from './schemas';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Another media type the same success may be sent as (a CSV export of a JSON report), a string body. */
  alsoAs?: string;
}

/** What the OpenAPI document is generated from: the same objects the routes validate with. */
export interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  description?: string;
  roles: readonly Role[] | 'public';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  scoped?: boolean;
  responses: Record<number, ResponseDoc>;
  contentType?: string;
}

export interface RouteContext<P, Q, B> {
  req: Request;
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  /** Present when the caller sent an Idempotency-Key: ids derived from it make a retry the same operation. */
  idempotency?: { keyId: string; key: string };
  /** Fields for the request log line (ticket id, workflow id). */
  annotate(fields: Record<string, string>): void;
}

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> extends RouteDoc {
  roles: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  /** The tenants owning the addressed object; missing or invisible to the caller answers 404 before any role check. */
  owner?: (params: z.output<P>, principal: Principal) => Promise<Owner | undefined>;
  /** What a replay may show: a response carrying a secret is stored without it. */
  redactReplay?: (body: unknown) => unknown;
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<Reply>;
}

export interface ApiDeps {
  client: Client;
  log: Logger;
  auth: Authenticator;
  limiter: RateLimiter;
  idempotency: IdempotencyStore;
  /** Upper bound on the Temporal calls of one request, so a dead frontend answers 503 instead of hanging. */
  temporalTimeoutMs: number;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const jsonParser = express.json({ limit: '256kb', strict: true, type: JSON_TYPES });
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** Built once: a zod schema costs more to build than to run, and most routes have no path parameters. */
const noParams = z.strictObject({});

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: Where): z.output<T> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}

const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/** Parsed only after authentication, so an anonymous caller cannot make the server read 256 kB. */
async function readJson(req: Request, res: Response): Promise<void> {
  if (!hasBody(req)) return;
  if (!req.is(JSON_TYPES)) throw new Problem(415, 'unsupported_media_type', 'Send the body as application/json.');
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new Problem(415, 'unsupported_encoding', `The body must be UTF-8, not ${charset.slice(0, 40)}.`);
  }
  await new Promise<void>((resolve, reject) => jsonParser(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
}

/** GET and HEAD keep Express's ETag, which lets a client revalidate with If-None-Match. */
const REVALIDATED = new Set(['GET', 'HEAD']);

function send(req: Request, res: Response, reply: Reply): void {
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.status(reply.status);
  if (reply.text) res.type(reply.text.contentType).send(reply.text.content);
  else if (reply.body === undefined) res.end();
  else if (REVALIDATED.has(req.method)) res.json(reply.body);
  else {
    // A change's answer is never revalidated, so it skips res.json's ETag hash: on ticket intake that
    // hash and its header work cost as much as the rest of the HTTP layer (bench/README.md, intake).
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(reply.body));
  }
}

/**
 * Registers routes on an Express router and keeps their description for the OpenAPI document. Order
 * of checks: key (401) → rate (429) → path (422) → visibility (404) → role (403) → media type (415) →
 * query/body (422) → idempotency (replay / 422 / 409) → handler, so a refused request starts nothing.
 */
export class Api {
  readonly docs: RouteDoc[] = [];

  constructor(
    readonly router: Router,
    private readonly deps: ApiDeps,
  ) {}

  document(doc: RouteDoc): void {
    this.docs.push(doc);
  }

  route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = typeof noQuery, B extends z.ZodType = z.ZodType>(
    def: RouteDef<P, Q, B>,
  ): void {
    this.docs.push({ ...def, scoped: def.owner !== undefined, query: def.query ?? noQuery });
    this.router[def.method](def.path, async (req, res) => {
      res.locals.route = def.path;
      // One deadline for every Temporal call the request makes (ownership lookup and handler alike).
      const deadline = Date.now() + this.deps.temporalTimeoutMs;
      const bounded = <T>(fn: () => Promise<T>) => this.deps.client.withDeadline(deadline, fn);
      const principal = await this.deps.auth.authenticate(req);
      res.locals.keyId = principal.keyId;
      this.deps.limiter.take(principal.keyId, res);
      const params = parse(def.params ?? noParams, req.params, 'params') as z.output<P>;
      if (def.owner) {
        const load = def.owner;
        const owner = await bounded(() => load(params, principal));
        if (!owner || !canSee(principal, owner)) throw notFound('The resource');
      }
      if (!def.roles.includes(principal.role)) {
        throw new Problem(403, 'forbidden', `A ${principal.role} key may not ${def.summary.toLowerCase()}.`);
      }
      if (def.body) await readJson(req, res);
      const query = parse(def.query ?? noQuery, req.query, 'query') as z.output<Q>;
      const body = (def.body ? parse(def.body, req.body, 'body') : undefined) as z.output<B>;
      const ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>> = {
        req,
        principal,
        params,
        query,
        body,
        annotate: (fields) => {
          res.locals.logFields = { ...(res.locals.logFields as object | undefined), ...fields };
        },
      };
      const run = () => bounded(() => def.handler(ctx));

      const key = req.get('idempotency-key');
      if (def.method !== 'post' || key === undefined) {
        send(req, res, await run());
        return;
      }
      if (!IDEMPOTENCY_KEY.test(key)) {
        throw new Problem(422, 'validation_failed', 'The Idempotency-Key header is invalid.', [
          { path: 'headers.Idempotency-Key', message: 'expected 1-255 visible ASCII characters' },
        ]);
      }
      const store = this.deps.idempotency;
      const claim = await store.claim(principal.keyId, key, requestHash(req.method, req.baseUrl + req.path, req.body));
      if (claim.kind === 'replay') {
        send(req, res, { ...claim.reply, headers: { ...claim.reply.headers, 'Idempotent-Replayed': 'true' } });
        return;
      }
      ctx.idempotency = { keyId: principal.keyId, key };
      let reply: Reply;
      try {
        reply = await run();
      } catch (err) {
        await store.release(principal.keyId, key).catch((e: unknown) => this.deps.log.warn({ err: e }, 'idempotency release failed'));
        throw err;
      }
      // Only successes are remembered: a refused request did nothing, so a retry may simply run again.
      if (reply.status < 300) {
        const stored = def.redactReplay ? { ...reply, body: def.redactReplay(reply.body) } : reply;
        await store
          .complete(principal.keyId, key, stored)
          .catch((e: unknown) => this.deps.log.warn({ err: e }, 'idempotency completion failed'));
      } else {
        await store.release(principal.keyId, key).catch((e: unknown) => this.deps.log.warn({ err: e }, 'idempotency release failed'));
      }
      send(req, res, reply);
    });
  }
}
