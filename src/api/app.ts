import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../db/client';
import type { Contacts } from '../../workflows/ticket/contract';
import type { EntitlementCheck } from '../tickets/entitlements';
import type { PolicyStore } from '../tickets/policy-store';
import { Problem, problemHandler } from './problem';
import { ticketsRouter } from './tickets-router';
import { subscriptionsRouter } from './subscriptions-router';

export interface AppDeps {
  client: Client;
  db: Db;
  policies: PolicyStore;
  contacts: Contacts;
  entitlements?: EntitlementCheck;
  log: Logger;
  taskQueue?: string;
  now?: () => number;
}

/** The app is built apart from `listen` so tests drive it in-process. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb', strict: true, type: ['application/json', 'application/*+json'] }));
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/v1/tickets', ticketsRouter(deps));
  app.use('/v1/subscriptions', subscriptionsRouter(deps));
  app.use((req, _res, next) => next(new Problem(404, 'not_found', `No route for ${req.method} ${req.path}.`)));
  app.use(
    problemHandler((err, status) => {
      if (status >= 500) deps.log.error({ err }, 'request failed');
    }),
  );
  return app;
}
