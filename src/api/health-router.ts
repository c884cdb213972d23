import type { Router } from 'express';
import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import type { Api } from './route';

type Check = 'up' | 'down';

const CHECK_TIMEOUT_MS = 2_000;

async function probe(run: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([run(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

const liveSchema = z.strictObject({ status: z.literal('ok') });
const readySchema = z.strictObject({
  status: z.enum(['ready', 'unavailable']),
  checks: z.strictObject({ temporal: z.enum(['up', 'down']), postgres: z.enum(['up', 'down']) }),
});

/** Liveness says the process answers; readiness says it can do its job (Temporal and PostgreSQL reachable). */
export function healthRoutes(api: Api, router: Router, deps: { client: Client; db: Db }): void {
  router.get('/health/live', (_req, res) => {
    res.locals.route = '/health/live';
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    res.locals.route = '/health/ready';
    const [temporal, postgres] = await Promise.all([
      probe(() => deps.client.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => deps.client.workflowService.getSystemInfo({}))),
      probe(() => deps.db.execute(sql`select 1`)),
    ]);
    const ready = temporal === 'up' && postgres === 'up';
    if (!ready) res.setHeader('Retry-After', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: { temporal, postgres } });
  });
  api.document({
    method: 'get',
    path: '/health/live',
    tag: 'Operations',
    summary: 'Liveness',
    roles: 'public',
    responses: { 200: { description: 'The process answers.', schema: liveSchema } },
  });
  api.document({
    method: 'get',
    path: '/health/ready',
    tag: 'Operations',
    summary: 'Readiness',
    roles: 'public',
    responses: {
      200: { description: 'Temporal and PostgreSQL reachable.', schema: readySchema },
      503: { description: 'A dependency is down.', schema: readySchema },
    },
  });
}
