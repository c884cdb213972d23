import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import request from 'supertest';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app';
import { connectDb } from '../../src/db/client';
import { policies } from '../../src/db/schema';
import { fastPolicy } from '../support/policies';
import { authed, startStack, testApp, type Stack } from '../support/stack';

let stack: Stack;
let staffKey: string;
const deadTemporal = () => new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
const deadDbUrl = () => {
  const url = new URL(inject('databaseUrl'));
  url.port = '1';
  return url.toString();
};

/** A ticket of a customer on record (created in beforeAll): opening it needs Temporal and PostgreSQL. */
let ticket: { customerId: string; requesterEmail: string; subject: string; policyId: string };

beforeAll(async () => {
  stack = await startStack();
  staffKey = await stack.key('staff');
  const customerId = await stack.customer({ id: `ops-acme-${randomUUID().slice(0, 8)}`, policies: ['mailup-standard'] });
  ticket = { customerId, requesterEmail: 'a@b.test', subject: 'x', policyId: 'mailup-standard' };
});
afterAll(async () => {
  await stack?.stop();
});

const app = (over: Partial<AppDeps>) => testApp(stack, over);

describe('readiness and unavailable dependencies', () => {
  it('is ready when Temporal and PostgreSQL answer', async () => {
    const res = await request(stack.app).get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { temporal: 'up', postgres: 'up' } });
    await request(stack.app).get('/health/live').expect(200);
  });

  it('answers 503 when both are unreachable, and says which', async () => {
    const db = connectDb(deadDbUrl(), { max: 1 });
    try {
      const res = await request(app({ client: deadTemporal(), db: db.db }))
        .get('/health/ready')
        .expect(503);
      expect(res.body).toEqual({ status: 'unavailable', checks: { temporal: 'down', postgres: 'down' } });
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await db.close();
    }
  });

  it('answers 503 with Retry-After, not 500, when Temporal is unreachable mid-request', async () => {
    const a = app({ client: deadTemporal(), temporalTimeoutMs: 1_500 });
    const ready = await request(a).get('/health/ready').expect(503);
    expect(ready.body.checks).toEqual({ temporal: 'down', postgres: 'up' });
    const opened = await authed(a, staffKey).post('/v1/tickets').send(ticket).expect(503);
    expect(opened.body).toMatchObject({ code: 'dependency_unavailable' });
    expect(opened.headers['retry-after']).toBe('5');
    // An id with no row makes the ownership check ask Temporal: unreachable is 503, never a false 404.
    await authed(a, staffKey).get('/v1/tickets/T-UNKNOWN').expect(503);
    // Answers that need no Temporal still work.
    await authed(a, staffKey).get('/v1/policies').expect(200);
    // A policy version and the recompute of its open tickets are one operation: no workflow, no version.
    const id = `ops-${randomUUID().slice(0, 8)}`;
    const { id: _i, version: _v, ...body } = fastPolicy(id, { firstResponse: 60 });
    const put = await authed(a, await stack.key('admin'))
      .put(`/v1/policies/${id}`)
      .send(body)
      .expect(503);
    expect(put.body.code).toBe('dependency_unavailable');
    expect(await stack.db.db.select().from(policies).where(eq(policies.id, id))).toEqual([]);
  });

  it('answers 503 with Retry-After when the PostgreSQL handle is closed', async () => {
    const db = connectDb(inject('databaseUrl'), { max: 1 });
    await db.close();
    const a = app({ db: db.db });
    const res = await authed(a, staffKey).get('/v1/tickets').expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toContain('application/problem+json');
    const ready = await request(a).get('/health/ready').expect(503);
    expect(ready.body.checks).toEqual({ temporal: 'up', postgres: 'down' });
  });
});

describe('rate limit, metrics and request logs', () => {
  it('limits each key to its bucket with 429 + Retry-After; other keys are unaffected', async () => {
    const a = app({ rateLimitPerMinute: 3 });
    const other = await stack.key('staff');
    for (let i = 0; i < 3; i++) await authed(a, staffKey).get('/v1/policies').expect(200);
    const limited = await authed(a, staffKey).get('/v1/policies').expect(429);
    expect(limited.body).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await authed(a, other).get('/v1/policies').expect(200);
  });

  it('logs one line per request with request id, key, route, status, latency and ticket ids; counts it in /metrics', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    const a = app({ log });
    const created = await authed(a, staffKey).post('/v1/tickets').set('X-Request-Id', 'req-123').send(ticket).expect(201);
    expect(created.headers['x-request-id']).toBe('req-123');
    const got = await authed(a, staffKey).get(`/v1/tickets/${created.body.id}`).expect(200);
    expect(got.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await authed(a, staffKey).get('/v1/tickets/T-NOPE').expect(404);

    const line = lines.find((l) => l.requestId === 'req-123');
    expect(line).toMatchObject({
      method: 'POST',
      route: '/v1/tickets',
      status: 201,
      ticketId: created.body.id,
      workflowId: `ticket-${created.body.id}`,
    });
    expect(typeof line?.keyId).toBe('string');
    expect(typeof line?.ms).toBe('number');

    const metrics = await authed(a, staffKey).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toContain('http_requests_total{method="POST",route="/v1/tickets",status="201"} 1');
    expect(metrics.text).toContain('http_requests_total{method="GET",route="/v1/tickets/:id",status="200"} 1');
    expect(metrics.text).toContain('http_requests_total{method="GET",route="/v1/tickets/:id",status="404"} 1');
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{method="GET",route="\/v1\/tickets\/:id",le="\+Inf"\} 2/);
    expect(metrics.text).not.toContain(created.body.id);
  });
});
