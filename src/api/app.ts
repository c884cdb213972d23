import { dbCatalogStore, type CatalogStore } from '../catalog/catalog-store';
import { catalogRoutes } from './catalog-routes';
import { conversationRoutes } from './conversation-routes';
import { ticketTimeRoutes } from './ticket-time-routes';
import { quoteRoutes } from './quote-routes';
import { reportRoutes } from './report-routes';
import { queueRoutes } from './queue-routes';
import { attachmentRoutes } from './attachment-routes';
import { consoleRouter } from '../console/console-router';
import { SessionSigner } from '../console/session';
import { quoteStore } from '../quotes/quote-store';
import express, { Router, type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../db/client';
import type { Contacts } from '../../workflows/ticket/contract';
import { dbCalendarStore, type CalendarStore } from '../tickets/calendar-store';
import type { EntitlementGateway } from '../subscriptions/entitlement-gateway';
import type { PolicyStore } from '../tickets/policy-store';
import type { AccountStore } from '../accounts/account-store';
import { accountStoreFor } from '../accounts/cached-account-store';
import type { Principal } from '../auth/principal';
import type { ChangeFeed } from '../db/change-feed';
import { DEFAULT_CACHE_TTL_MS, ReadCache } from '../db/read-cache';
import { accountRoutes } from './accounts-routes';
import { apiKeyRoutes } from './api-keys-routes';
import { billingRoutes } from './billing-routes';
import { dbAuthenticator } from './authenticate';
import { calendarRoutes } from './calendars-routes';
import { DOCS_HTML } from './docs-page';
import { healthRoutes } from './health-router';
import { dbIdempotencyStore } from './idempotency';
import { HttpMetrics } from './metrics';
import { opsMetrics } from '../reports/ops-metrics';
import { observe } from './observe';
import { requestDeadline } from './request-deadline';
import { buildOpenApi } from './openapi';
import { policyRoutes } from './policies-routes';
import { Problem, problemHandler } from './problem';
import { tokenBucketLimiter } from './rate-limit';
import { Api } from './route';
import { slaRoutes } from './sla-routes';
import { subscriptionRoutes } from './subscriptions-routes';
import { subscriptionServiceRoutes } from './subscription-service-routes';
import { ticketActionRoutes } from './ticket-actions-routes';
import { ticketRoutes } from './tickets-routes';

export interface AppDeps {
  client: Client;
  db: Db;
  policies: PolicyStore;
  /** Stored custom calendars; the database by default. */
  calendars?: CalendarStore;
  contacts: Contacts;
  /** Customers and resellers; the database by default. */
  accounts?: AccountStore;
  /** The vendor's catalog; stored versions in PostgreSQL unless a test passes its own. */
  catalog?: CatalogStore;
  entitlements?: EntitlementGateway;
  /**
   * Changes to customers, keys and coverage from every process (LISTEN/NOTIFY): with it, API keys and
   * customers are served from memory while it is live, each dropped as soon as any process changes it.
   */
  changes?: ChangeFeed;
  /** The longest a cached key or customer is used if the feed's connection dies unnoticed. */
  cacheTtlMs?: number;
  log: Logger;
  taskQueue?: string;
  now?: () => number;
  /** RATE_LIMIT_PER_MINUTE: requests a minute per API key (token bucket, burst of the same size). */
  rateLimitPerMinute?: number;
  /** Signs staff console sessions; every API process behind one address needs the same one. */
  consoleSecret?: string;
  /** Bound on a whole request; past it the caller gets 503 with Retry-After (default 10 s). */
  requestTimeoutMs?: number;
  /** Bound on one request's Temporal calls; past it the request answers 503. */
  temporalTimeoutMs?: number;
  /** How long a duplicate of a running Idempotency-Key request waits for its reply before 409. */
  idempotencyWaitMs?: number;
}

/** The app is built apart from `listen` so tests drive it in-process. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const metrics = new HttpMetrics();
  app.use(observe(deps.log, metrics));
  app.use(requestDeadline(deps.requestTimeoutMs ?? 10_000));

  const sessions = new SessionSigner(deps.consoleSecret);
  app.use('/console', consoleRouter({ db: deps.db, sessions }));

  const router = Router();
  const api = new Api(router, {
    client: deps.client,
    log: deps.log,
    auth: dbAuthenticator(
      deps.db,
      sessions,
      deps.changes &&
        new ReadCache<Principal>(deps.changes, 'api_keys', { ttlMs: deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS, keyedById: false }),
    ),
    limiter: tokenBucketLimiter(deps.rateLimitPerMinute ?? 600),
    // A claim older than the request deadline belongs to a request that has been answered (503) or died.
    idempotency: dbIdempotencyStore(deps.db, { waitMs: deps.idempotencyWaitMs, staleMs: (deps.requestTimeoutMs ?? 10_000) + 1_000 }),
    temporalTimeoutMs: deps.temporalTimeoutMs ?? 15_000,
  });
  const calendars = deps.calendars ?? dbCalendarStore(deps.db);
  const full = {
    ...deps,
    calendars,
    accounts: deps.accounts ?? accountStoreFor(deps),
    catalog: deps.catalog ?? dbCatalogStore(deps.db),
    quotes: quoteStore(deps.db, deps.changes),
  };

  healthRoutes(api, router, deps);
  ticketRoutes(api, full);
  ticketActionRoutes(api, full);
  subscriptionRoutes(api, full);
  policyRoutes(api, full);
  calendarRoutes(api, deps);
  slaRoutes(api, full);
  apiKeyRoutes(api, deps);
  accountRoutes(api, full);
  billingRoutes(api, deps);
  subscriptionServiceRoutes(api, full);
  catalogRoutes(api, full);
  ticketTimeRoutes(api, full);
  conversationRoutes(api, full);
  quoteRoutes(api, full);
  reportRoutes(api, full);
  queueRoutes(api, full);
  attachmentRoutes(api, full);
  api.route({
    method: 'get',
    path: '/metrics',
    tag: 'Operations',
    summary: 'Read Prometheus metrics',
    description:
      'Request counts by method, route pattern and status and their latency; open tickets by SLA state, warnings and breaches by policy and clock, breach lateness, the mail outbox and workflows needing attention (from the journal, so every API process answers the same). Scrape with a staff key (Prometheus `authorization.credentials`).',
    roles: ['staff', 'admin'],
    responses: { 200: { description: 'Prometheus text format 0.0.4.' } },
    handler: async () => ({
      status: 200,
      text: {
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        content: metrics.render() + (await opsMetrics(deps.db, deps.client)),
      },
    }),
  });

  const spec = buildOpenApi(api.docs);
  router.get('/v1/openapi.json', (_req, res) => {
    res.locals.route = '/v1/openapi.json';
    res.json(spec);
  });
  router.get('/v1/docs', (_req, res) => {
    res.locals.route = '/v1/docs';
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    );
    res.type('html').send(DOCS_HTML);
  });

  app.use(router);
  // A path we serve with another method is 405 with Allow (RFC 9110), not a 404 that hides the path.
  const served = [...api.docs, { method: 'get', path: '/v1/openapi.json' }, { method: 'get', path: '/v1/docs' }].map((r) => ({
    method: r.method.toUpperCase(),
    pattern: new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`),
  }));
  app.use((req, res, next) => {
    const allow = [...new Set(served.filter((r) => r.pattern.test(req.path)).map((r) => r.method))];
    if (allow.length === 0) return next(new Problem(404, 'not_found', `No route for ${req.method} ${req.path}.`));
    if (allow.includes('GET')) allow.push('HEAD');
    res.setHeader('Allow', allow.join(', '));
    next(new Problem(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}; it takes ${allow.join(', ')}.`));
  });
  app.use(
    problemHandler((err, status, requestId) => {
      if (status >= 500) deps.log.error({ err, requestId }, 'request failed');
    }),
  );
  return app;
}
