import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policies, tickets } from '../../src/db/schema';
import { dbPolicyStore } from '../../src/tickets/policy-store';
import { NeedsAttentionKey } from '../../workflows/search-attributes';
import * as c from '../../workflows/ticket/contract';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { fastPolicy } from '../support/policies';
import { startStack, type Stack } from '../support/stack';
import { ticketInput } from '../support/ticket-input';
import { waitFor } from '../support/wait';

/** Issue 12's probes, each now a regression test: status and code, nothing written, the process responsive. */
let stack: Stack;
const run = randomUUID().slice(0, 8);
const { id: _i, version: _v, ...fast } = fastPolicy('x', { firstResponse: 3600 });
const ticket = { customerId: `h-${run}`, requesterEmail: 'ann@example.test', subject: 'Broken', policyId: 'mailup-standard' };

beforeAll(async () => {
  stack = await startStack({ policies: { get: (id) => dbPolicyStore(stack.db.db).get(id) } });
  await stack.customer({ id: ticket.customerId, policies: ['mailup-standard'] });
});
afterAll(async () => {
  await stack?.stop();
});

const storedVersions = async (id: string) => (await stack.db.db.select().from(policies).where(eq(policies.id, id))).length;

describe('text at the boundary', () => {
  it.each([
    ['subject', { subject: 'Broken\u0000' }, 'body.subject'],
    ['description', { description: 'steps\u0000' }, 'body.description'],
    ['a field key', { fields: { 'ver\u0000sion': '1' } }, 'body.fields.ver\u0000sion'],
    ['a field value with a lone surrogate', { fields: { version: 'x\uD800' } }, 'body.fields.version'],
    ['the customer id', { customerId: `h-${run}\u0000` }, 'body.customerId'],
  ])('refuses NUL or a lone surrogate in %s with a field-level 422 and starts nothing', async (_what, extra, path) => {
    const subject = `nul-${randomUUID()}`;
    const res = await stack.http
      .post('/v1/tickets')
      .send({ ...ticket, subject, ...extra })
      .expect(422);
    expect(res.body.code).toBe('validation_failed');
    expect((res.body.errors as Array<{ path: string }>).map((e) => e.path)).toContain(path);
    expect(await stack.db.db.select().from(tickets).where(eq(tickets.subject, subject))).toHaveLength(0);
  });

  it('refuses it in a query filter and in a key’s tenant id', async () => {
    expect((await stack.http.get('/v1/tickets?customerId=a%00b').expect(422)).body.code).toBe('validation_failed');
    const key = await stack.http.post('/v1/api-keys').send({ role: 'customer', tenantId: 'a\u0000b' }).expect(422);
    expect(key.body.errors[0].path).toBe('body.tenantId');
  });
});

describe('client mistakes are 4xx problems, never 500', () => {
  it('malformed percent-encoding in a path is 400 malformed_path', async () => {
    for (const path of ['/v1/tickets/%zz', '/v1/policies/%E0%A4%A']) {
      const res = await stack.http.get(path).expect(400);
      expect(res.body.code).toBe('malformed_path');
    }
  });

  it('a forged cursor (date out of range, id with NUL) is 422', async () => {
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of [forge(['+275760-09-13T00:00:00.000Z', 'T-1']), forge(['2026-01-01T00:00:00Z', 'T-\u0000']), forge([1, 2])]) {
      const res = await stack.http.get(`/v1/tickets?cursor=${cursor}`).expect(422);
      expect(res.body.errors[0].path).toBe('query.cursor');
    }
  });

  it('a body in another charset than UTF-8 is 415', async () => {
    const res = await stack.http
      .post('/v1/tickets')
      .set('content-type', 'application/json; charset=utf-16')
      .send(Buffer.from(JSON.stringify(ticket), 'utf16le'))
      .expect(415);
    expect(res.body.code).toBe('unsupported_encoding');
  });
});

describe('bounded configuration, checked by computing it', () => {
  it('refuses an unbounded wall-clock target and stores nothing', async () => {
    const id = `huge-${run}`;
    const huge = { ms: 8e15, clock: 'wall' };
    const res = await stack.http
      .put(`/v1/policies/${id}`)
      .send({ ...fast, name: 'Huge', priorities: { normal: { firstResponse: huge } } })
      .expect(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors[0]).toMatchObject({ path: 'body.priorities.normal.firstResponse.ms', message: 'at most ten years' });
    expect(await storedVersions(id)).toBe(0);
  });

  it('refuses thousands of warnings', async () => {
    const fractions = Array.from({ length: 100 }, (_, i) => (i + 1) / 101);
    const res = await stack.http
      .put(`/v1/policies/warn-${run}`)
      .send({ ...fast, name: 'Noisy', warnings: { fractions, basis: 'wall' } })
      .expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('body.warnings.fractions');
  });

  it('refuses a target no instant of the calendar meets, for a store and for an inline preview', async () => {
    const calendarId = `closed-${run}`;
    const never = await stack.http.put(`/v1/calendars/${calendarId}`).send({ name: 'Never', timeZone: 'UTC', weekly: {} }).expect(422);
    expect(never.status).toBe(422);
    // Ten years of business time on a calendar open one minute a week lies past any horizon a ticket has.
    const sliver = `sliver-${run}`;
    await stack.http
      .put(`/v1/calendars/${sliver}`)
      .send({ name: 'Sliver', timeZone: 'UTC', weekly: { sun: [{ start: '00:00', end: '00:01' }] } })
      .expect(200);
    const far = { ms: 10 * 365 * 86_400_000, clock: 'business' };
    const policy = {
      ...fast,
      name: 'Unreachable',
      calendarId: sliver,
      zone: 'UTC',
      priorities: { normal: { firstResponse: far, nextReply: far } },
    };
    const stored = await stack.http.put(`/v1/policies/far-${run}`).send(policy).expect(422);
    expect(stored.body.errors, JSON.stringify(stored.body)).toContainEqual(
      expect.objectContaining({ path: 'body.priorities.normal.firstResponse' }),
    );
    const preview = await stack.http.post('/v1/sla/preview').send({ policy, openedAt: new Date().toISOString() }).expect(422);
    expect(preview.body.code).toBe('invalid_policy');
  });
});

describe('required-field patterns run in linear time', () => {
  it('a catastrophic pattern cannot stall the process; one RE2 cannot run is refused when stored', async () => {
    const id = `redos-${run}`;
    const requiredFields = [{ key: 'serial', label: 'Serial', pattern: '(a+)+$' }];
    await stack.http
      .put(`/v1/policies/${id}`)
      .send({ ...fast, name: 'ReDoS', requiredFields })
      .expect(201);
    // Tickets open only on what a customer bought: one buys the stored policy.
    const customerId = await stack.customer({ policies: [id] });
    const started = Date.now();
    const [opened, health] = await Promise.all([
      stack.http.post('/v1/tickets').send({ ...ticket, customerId, policyId: id, fields: { serial: `${'a'.repeat(1_999)}!` } }),
      new Promise((r) => setTimeout(r, 20)).then(() => request(stack.app).get('/health/live')),
    ]);
    expect(opened.status).toBe(422);
    expect(opened.body.code).toBe('missing_ticket_fields');
    expect(opened.body.errors[0].path).toBe('body.fields.serial');
    expect(health.status).toBe(200);
    // A backtracking engine needs far beyond a minute for 1,999 a's; a linear one answers at once.
    expect(Date.now() - started).toBeLessThan(10_000);
    const refused = await stack.http
      .put(`/v1/policies/backref-${run}`)
      .send({ ...fast, name: 'Backref', requiredFields: [{ key: 'k', label: 'K', pattern: '(a)\\1' }] })
      .expect(422);
    expect(refused.body.errors[0].path).toBe('body.requiredFields.0.pattern');
  });
});

describe('no poison pills', () => {
  it('a write PostgreSQL refuses for good is tried once, shown to operators, and the ticket keeps its timers', async () => {
    const input = { ...ticketInput('mailup-standard', Date.now()), subject: 'poison\u0000pill' };
    const h = await stack.client.workflow.start(ticketWorkflow, {
      workflowId: c.ticketWorkflowId(input.ticketId),
      taskQueue: stack.taskQueue,
      args: [input],
    });
    const described = await waitFor(async () => {
      const d = await h.describe();
      return d.typedSearchAttributes.get(NeedsAttentionKey) ? d : undefined;
    });
    expect(described.status.name).toBe('RUNNING');
    const history = await h.fetchHistory();
    // The opening commits in an activity task, later changes in local activities (a marker carries the
    // failure and the attempt): the refused write is found either way, tried once.
    const failed = (history.events ?? []).flatMap((e) => {
      const marker = e.markerRecordedEventAttributes;
      if (marker?.markerName === 'core_local_activity' && marker.failure) {
        const data = marker.details?.data?.payloads?.[0]?.data;
        const attempt = data ? (JSON.parse(Buffer.from(data).toString()) as { attempt?: number }).attempt : undefined;
        return [{ failure: marker.failure, attempt }];
      }
      const task = e.activityTaskFailedEventAttributes;
      return task?.failure ? [{ failure: task.failure, attempt: undefined }] : [];
    });
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]?.failure.applicationFailureInfo).toMatchObject({ type: 'data_refused', nonRetryable: true });
    const started = history.events?.filter((e) => e.activityTaskStartedEventAttributes) ?? [];
    expect(started.every((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) === 1)).toBe(true);
    expect(failed.every((f) => f.attempt === undefined || f.attempt === 1)).toBe(true);
    expect(JSON.stringify(failed)).not.toContain('insert into');
    const view = await h.query(c.ticketQuery);
    expect(view.deadlines.first_response).toBeDefined();
    await h.terminate('test done');
  });
});
