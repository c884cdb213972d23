import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Ajv2020 from 'ajv/dist/2020';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policies, tickets } from '../../src/db/schema';
import { dbPolicyStore } from '../../src/tickets/policy-store';
import { policyChangeWorkflowId } from '../../workflows/policy/contract';
import { policyChangeWorkflow } from '../../workflows/policy/policy-change-workflow';
import { ticketQuery, ticketWorkflowId } from '../../workflows/ticket/contract';
import { fastPolicy } from '../support/policies';
import { authed, startStack, type Http, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

let stack: Stack;
let customer: Http;
let spec: {
  paths: Record<string, Record<string, { 'x-roles'?: string[]; responses: Record<string, { content?: Record<string, unknown> }> }>>;
};
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const run = randomUUID().slice(0, 8);
const customerId = `res-${run}`;

beforeAll(async () => {
  // Stored policies must be what tickets open on, as in production.
  stack = await startStack({ policies: { get: (id) => dbPolicyStore(stack.db.db).get(id) } });
  await stack.customer({ id: customerId, policies: ['mailup-standard'] });
  customer = authed(stack.app, await stack.key('customer', customerId));
  spec = (await stack.http.get('/v1/openapi.json').expect(200)).body;
  ajv.addSchema(spec, 'openapi');
});
afterAll(async () => {
  await stack?.stop();
});

/** The response's body validates against the schema the OpenAPI document gives for this operation and status. */
function conforms(res: Response, method: string, path: string): void {
  const op = spec.paths[path]?.[method];
  expect(op, `${method} ${path} documented`).toBeDefined();
  const response = op?.responses[String(res.status)];
  expect(response, `${method} ${path} documents ${res.status}`).toBeDefined();
  const [type] = Object.keys(response?.content ?? {});
  expect(res.headers['content-type']).toContain(type);
  const pointer = `openapi#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${res.status}/content/${String(type).replace(/\//g, '~1')}/schema`;
  const validate = ajv.getSchema(pointer);
  expect(validate, pointer).toBeDefined();
  if (!validate?.(res.body))
    throw new Error(`${method} ${path} ${res.status}: ${ajv.errorsText(validate?.errors)}\n${JSON.stringify(res.body).slice(0, 500)}`);
}

const policyBody = (firstResponseSecs: number, extra: Record<string, unknown> = {}) => {
  const { id: _i, version: _v, ...p } = fastPolicy('x', { firstResponse: firstResponseSecs });
  return { ...p, name: `Policy ${run}`, ...extra };
};
const ticketBody = { requesterEmail: 'ann@example.test', subject: 'Cannot log in', policyId: 'mailup-standard' };
const dueOf = async (id: string) =>
  (await stack.client.workflow.getHandle(ticketWorkflowId(id)).query(ticketQuery)).deadlines.first_response;
const rowOf = (id: string) => waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, id)))[0]);

/** Staff sell the test customer a contract on a policy, as they must before its tickets may open on it. */
async function sell(policyId: string): Promise<void> {
  const current = (await stack.http.get(`/v1/customers/${customerId}`).expect(200)).body as { contracts: unknown[] };
  const contract = { id: `k-${policyId}`, policyId, validFrom: '2000-01-01T00:00:00Z' };
  await stack.http
    .patch(`/v1/customers/${customerId}`)
    .send({ contracts: [...current.contracts, contract] })
    .expect(200);
}

describe('OpenAPI 3.1 document', () => {
  it('is served with docs that load nothing from elsewhere, and documents every operation with its roles', async () => {
    expect(spec).toMatchObject({ openapi: '3.1.0' });
    const ops = Object.values(spec.paths).flatMap((p) => Object.keys(p));
    expect(ops).toHaveLength(75);
    const roles = (method: string, path: string) => spec.paths[path]?.[method]?.['x-roles'];
    expect({
      'POST /v1/customers': roles('post', '/v1/customers'),
      'GET /v1/customers': roles('get', '/v1/customers'),
      'GET /v1/customers/{id}': roles('get', '/v1/customers/{id}'),
      'PATCH /v1/customers/{id}': roles('patch', '/v1/customers/{id}'),
      'POST /v1/resellers': roles('post', '/v1/resellers'),
      'GET /v1/resellers': roles('get', '/v1/resellers'),
      'GET /v1/resellers/{id}': roles('get', '/v1/resellers/{id}'),
      'PATCH /v1/resellers/{id}': roles('patch', '/v1/resellers/{id}'),
      'PUT /v1/plans/{id}': roles('put', '/v1/plans/{id}'),
      'GET /v1/queue': roles('get', '/v1/queue'),
      'POST /v1/quotes/{id}/accept': roles('post', '/v1/quotes/{id}/accept'),
    }).toEqual({
      'POST /v1/customers': ['staff', 'admin'],
      'GET /v1/customers': ['reseller', 'staff', 'admin'],
      'GET /v1/customers/{id}': ['customer', 'reseller', 'staff', 'admin'],
      'PATCH /v1/customers/{id}': ['staff', 'admin'],
      'POST /v1/resellers': ['staff', 'admin'],
      'GET /v1/resellers': ['staff', 'admin'],
      'GET /v1/resellers/{id}': ['reseller', 'staff', 'admin'],
      'PATCH /v1/resellers/{id}': ['staff', 'admin'],
      'PUT /v1/plans/{id}': ['admin'],
      'GET /v1/queue': ['staff', 'admin'],
      'POST /v1/quotes/{id}/accept': ['customer', 'reseller', 'staff', 'admin'],
    });
    const docs = await stack.http.get('/v1/docs').expect(200);
    expect(docs.text).toContain('/v1/openapi.json');
    expect(docs.text).not.toMatch(/src=["']https?:|href=["']https?:\/\/(?!supportflow)/);
  });

  it('describes the real responses of the main routes (tickets, actions, subscriptions, keys, accounts, errors)', async () => {
    const opened = await customer.post('/v1/tickets').send(ticketBody).expect(201);
    conforms(opened, 'post', '/v1/tickets');
    conforms(await customer.get(`/v1/tickets/${opened.body.id}`).expect(200), 'get', '/v1/tickets/{id}');
    await rowOf(opened.body.id);
    conforms(await customer.get(`/v1/tickets/${opened.body.id}`).expect(200), 'get', '/v1/tickets/{id}');
    conforms(await customer.get('/v1/tickets').expect(200), 'get', '/v1/tickets');
    conforms(
      await stack.http.post(`/v1/tickets/${opened.body.id}/respond`).send({ agent: 'bob', message: 'Hi' }).expect(200),
      'post',
      '/v1/tickets/{id}/respond',
    );
    conforms(
      await customer.post(`/v1/tickets/${opened.body.id}/replies`).send({ message: 'Thanks' }).expect(200),
      'post',
      '/v1/tickets/{id}/replies',
    );
    conforms(
      await stack.http.post(`/v1/tickets/${opened.body.id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(200),
      'post',
      '/v1/tickets/{id}/resolve',
    );
    conforms(
      await stack.http.post(`/v1/tickets/${opened.body.id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(409),
      'post',
      '/v1/tickets/{id}/resolve',
    );
    conforms(await customer.get('/v1/tickets/T-MISSING').expect(404), 'get', '/v1/tickets/{id}');
    conforms(
      await customer
        .post('/v1/tickets')
        .send({ ...ticketBody, subject: 5 })
        .expect(422),
      'post',
      '/v1/tickets',
    );
    conforms(await customer.get('/v1/api-keys').expect(403), 'get', '/v1/api-keys');
    // What the contract refuses: a policy not bought (422), a customer not on record (422), no contract at all (409).
    const notBought = await customer
      .post('/v1/tickets')
      .send({ ...ticketBody, policyId: 'mailup-premium' })
      .expect(422);
    expect(notBought.body.code).toBe('policy_not_in_contract');
    conforms(notBought, 'post', '/v1/tickets');
    const unknown = await stack.http
      .post('/v1/tickets')
      .send({ ...ticketBody, customerId: `nobody-${run}` })
      .expect(422);
    expect(unknown.body.code).toBe('unknown_customer');
    conforms(unknown, 'post', '/v1/tickets');
    const uncovered = await stack.customer({ policies: [], vendorId: 'mailup' });
    const { policyId: _p, ...unchosen } = ticketBody;
    const refused = await stack.http
      .post('/v1/tickets')
      .send({ ...unchosen, customerId: uncovered })
      .expect(409);
    expect(refused.body.code).toBe('not_entitled');
    conforms(refused, 'post', '/v1/tickets');

    const sub = await stack.http
      .post('/v1/subscriptions')
      .send({ customerId, contactEmail: 'b@example.test', planId: 'per-user-support', seats: 3, timeZone: 'Europe/Berlin' })
      .expect(201);
    conforms(sub, 'post', '/v1/subscriptions');
    conforms(await customer.get(`/v1/subscriptions/${sub.body.id}`).expect(200), 'get', '/v1/subscriptions/{id}');
    conforms(
      await stack.http.post(`/v1/subscriptions/${sub.body.id}/seats`).send({ add: 1 }).expect(200),
      'post',
      '/v1/subscriptions/{id}/seats',
    );

    const key = await stack.http
      .post('/v1/api-keys')
      .send({ role: 'reseller', tenantId: `r-${run}`, label: 'spec' })
      .expect(201);
    conforms(key, 'post', '/v1/api-keys');
    conforms(await stack.http.get('/v1/api-keys').expect(200), 'get', '/v1/api-keys');
    conforms(await stack.http.delete(`/v1/api-keys/${key.body.id}`).expect(200), 'delete', '/v1/api-keys/{id}');
    conforms(await stack.http.get('/health/ready').expect(200), 'get', '/health/ready');

    const reseller = `rs-${run}`;
    const createdReseller = await stack.http
      .post('/v1/resellers')
      .send({ id: reseller, name: 'Spec Partners', vendorId: 'mailup' })
      .expect(201);
    conforms(createdReseller, 'post', '/v1/resellers');
    conforms(
      await stack.http.post('/v1/resellers').send({ id: reseller, name: 'Again', vendorId: 'mailup' }).expect(409),
      'post',
      '/v1/resellers',
    );
    conforms(await stack.http.get(`/v1/resellers/${reseller}`).expect(200), 'get', '/v1/resellers/{id}');
    conforms(await stack.http.get('/v1/resellers?limit=2').expect(200), 'get', '/v1/resellers');
    conforms(
      await stack.http.patch(`/v1/resellers/${reseller}`).send({ name: 'Spec Partners Ltd' }).expect(200),
      'patch',
      '/v1/resellers/{id}',
    );
    const endCustomer = {
      id: `ec-${run}`,
      name: 'Spec End Customer',
      timeZone: 'Europe/Rome',
      vendorId: 'mailup',
      resellerId: reseller,
      contacts: [{ name: 'Ann', email: 'ann@spec.test' }],
      domains: ['spec.test'],
      contracts: [{ id: 'k1', policyId: 'mailup-premium', validFrom: '2000-01-01T00:00:00Z' }],
    };
    const createdCustomer = await stack.http.post('/v1/customers').send(endCustomer).expect(201);
    conforms(createdCustomer, 'post', '/v1/customers');
    conforms(
      await stack.http
        .post('/v1/customers')
        .send({ ...endCustomer, bogus: 1 })
        .expect(422),
      'post',
      '/v1/customers',
    );
    const resellerKey = authed(stack.app, await stack.key('reseller', reseller));
    const listed = await resellerKey.get('/v1/customers').expect(200);
    conforms(listed, 'get', '/v1/customers');
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([endCustomer.id]);
    conforms(await resellerKey.get(`/v1/customers/${endCustomer.id}`).expect(200), 'get', '/v1/customers/{id}');
    conforms(await customer.get(`/v1/customers/${customerId}`).expect(200), 'get', '/v1/customers/{id}');
    conforms(await customer.get(`/v1/customers/${endCustomer.id}`).expect(404), 'get', '/v1/customers/{id}');
    conforms(
      await stack.http
        .patch(`/v1/customers/${endCustomer.id}`)
        .send({ domains: ['spec.test', 'spec2.test'] })
        .expect(200),
      'patch',
      '/v1/customers/{id}',
    );
    conforms(await resellerKey.patch(`/v1/customers/${endCustomer.id}`).send({ name: 'x' }).expect(403), 'patch', '/v1/customers/{id}');
  });
});

describe('ticket list', () => {
  it('filters and pages with a stable cursor, newest first', async () => {
    const who = `list-${run}`;
    await stack.customer({ id: who, policies: ['mailup-standard', 'mailup-premium'] });
    const key = authed(stack.app, await stack.key('customer', who));
    const ids: string[] = [];
    for (const policyId of ['mailup-standard', 'mailup-premium', 'mailup-standard', 'mailup-premium', 'mailup-standard']) {
      ids.push(
        (
          await key
            .post('/v1/tickets')
            .send({ ...ticketBody, policyId })
            .expect(201)
        ).body.id,
      );
    }
    await Promise.all(ids.map(rowOf));
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await key.get(`/v1/tickets?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      conforms(res, 'get', '/v1/tickets');
      pages.push(res.body.items.map((t: { id: string }) => t.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([...ids].reverse());

    const ids_ = async (q: string) =>
      ((await key.get(`/v1/tickets?${q}`).expect(200)).body.items as Array<{ id: string }>).map((t) => t.id).sort();
    expect(await ids_('policyId=mailup-premium')).toEqual([ids[1], ids[3]].sort());
    expect(await ids_('priority=high')).toEqual([ids[1], ids[3]].sort());
    expect(await ids_('priority=normal&status=new&slaState=ok&breached=false')).toEqual([ids[0], ids[2], ids[4]].sort());
    expect(await ids_('breached=true')).toEqual([]);
    const second = (await rowOf(ids[1] ?? '')).openedAt.toISOString();
    expect(await ids_(`openedAfter=${encodeURIComponent(second)}`)).toEqual([ids[2], ids[3], ids[4]].sort());
    expect(await ids_(`openedBefore=${encodeURIComponent(second)}`)).toEqual([ids[0]]);
    // 003 "higher priority in the handling of requests": in the staff queue Premium (high) comes before Standard.
    const queued = async (q: string) => {
      const res = await stack.http.get(`/v1/queue?customerId=${who}${q}`).expect(200);
      conforms(res, 'get', '/v1/queue');
      return (res.body.items as Array<{ id: string }>).map((t) => t.id);
    };
    expect(await queued('')).toEqual([ids[1], ids[3], ids[0], ids[2], ids[4]]);
    expect(await queued('&sort=deadline')).toEqual(ids);
    expect((await stack.http.get('/v1/queue?sort=priority').expect(422)).body.code).toBe('validation_failed');
    const bad = await key.get('/v1/tickets?cursor=bm90LWEtY3Vyc29y').expect(422);
    expect(bad.body.errors[0].path).toBe('query.cursor');
  });
});

describe('policies, calendars and SLA preview', () => {
  it('stores policy versions and recomputes open tickets pinned to the policy', async () => {
    const id = `pol-${run}`;
    const v1 = await stack.http.put(`/v1/policies/${id}`).send(policyBody(3600)).expect(201);
    conforms(v1, 'put', '/v1/policies/{id}');
    expect(v1.body).toMatchObject({ created: true, policy: { id, version: 1 }, recompute: { workflowId: `policy-${id}-v1` } });
    await sell(id);
    const opened = await customer
      .post('/v1/tickets')
      .send({ ...ticketBody, policyId: id })
      .expect(201);
    const openedAt = Date.parse(opened.body.openedAt);
    expect(Date.parse(opened.body.deadlines.first_response) - openedAt).toBe(3600_000);
    await rowOf(opened.body.id);

    const v2 = await stack.http.put(`/v1/policies/${id}`).send(policyBody(7200)).expect(201);
    expect(v2.body).toMatchObject({ created: true, policy: { version: 2 }, recompute: { workflowId: `policy-${id}-v2` } });
    // The version is stored before the reply; the walk onto the open ticket is durable and follows.
    expect(await stack.db.db.select().from(policies).where(eq(policies.id, id))).toHaveLength(2);
    const walk = await stack.client.workflow.getHandle(v2.body.recompute.workflowId).result();
    expect(walk).toMatchObject({ signalled: 1, finished: 0, done: true });
    await waitFor(async () => (Date.parse((await dueOf(opened.body.id)) ?? '') - openedAt === 7200_000 ? true : undefined));

    // The same policy again stores nothing; its walk already ran.
    const same = await stack.http.put(`/v1/policies/${id}`).send(policyBody(7200)).expect(200);
    expect(same.body).toMatchObject({ created: false, policy: { version: 2 }, recompute: { workflowId: `policy-${id}-v2` } });
    expect(await stack.db.db.select().from(policies).where(eq(policies.id, id))).toHaveLength(2);
    const stale = await stack.http
      .put(`/v1/policies/${id}`)
      .send(policyBody(60, { version: 2 }))
      .expect(409);
    expect(stale.body.code).toBe('version_conflict');

    conforms(await customer.get(`/v1/policies/${id}`).expect(200), 'get', '/v1/policies/{id}');
    expect((await customer.get(`/v1/policies/${id}?version=1`).expect(200)).body.priorities.normal.firstResponse.ms).toBe(3600_000);
    const list = await customer.get('/v1/policies').expect(200);
    conforms(list, 'get', '/v1/policies');
    expect(list.body.items).toContainEqual(expect.objectContaining({ id, version: 2, source: 'stored' }));
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: 'mailup-standard', source: 'preset' }));
    await customer.put(`/v1/policies/${id}`).send(policyBody(1)).expect(403);
  });

  it('stores custom calendars, opens tickets on them and recomputes open tickets when one changes', async () => {
    const cal = `cal-${run}`;
    const put = await stack.http.put(`/v1/calendars/${cal}`).send({ name: 'Always', timeZone: 'UTC', alwaysOpen: true }).expect(200);
    conforms(put, 'put', '/v1/calendars/{id}');
    const business = { ms: 3600_000, clock: 'business' as const };
    const targets = { firstResponse: business, nextReply: business };
    const pol = `calpol-${run}`;
    await stack.http
      .put(`/v1/policies/${pol}`)
      .send(policyBody(3600, { calendarId: cal, priorities: { normal: targets, high: targets, urgent: targets, low: targets } }))
      .expect(201);
    await sell(pol);
    const opened = await customer
      .post('/v1/tickets')
      .send({ ...ticketBody, policyId: pol })
      .expect(201);
    const openedAt = Date.parse(opened.body.openedAt);
    expect(Date.parse(opened.body.deadlines.first_response) - openedAt).toBe(3600_000);
    await rowOf(opened.body.id);

    // Half an hour a week: the hour of business time now spans two or three Sundays.
    const changed = await stack.http
      .put(`/v1/calendars/${cal}`)
      .send({ name: 'Sunday sliver', timeZone: 'UTC', weekly: { sun: [{ start: '00:00', end: '00:30' }] } })
      .expect(200);
    expect(changed.body.recomputed).toEqual({ tickets: 1, updated: 1, skipped: [] });
    expect(Date.parse((await dueOf(opened.body.id)) ?? '') - openedAt).toBeGreaterThan(6 * 86_400_000);

    conforms(await customer.get(`/v1/calendars/${cal}`).expect(200), 'get', '/v1/calendars/{id}');
    const list = await customer.get('/v1/calendars').expect(200);
    conforms(list, 'get', '/v1/calendars');
    expect(list.body.items).toContainEqual({ id: cal, name: 'Sunday sliver', timeZone: 'UTC', source: 'stored' });
    expect((await stack.http.put('/v1/calendars/weekday-9-5').send({ timeZone: 'UTC', alwaysOpen: true }).expect(409)).body.code).toBe(
      'preset_calendar',
    );
    const overlap = await stack.http
      .put(`/v1/calendars/${cal}`)
      .send({
        timeZone: 'UTC',
        weekly: {
          mon: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        },
      })
      .expect(422);
    expect(overlap.body.errors[0].path).toBe('body.weekly.mon.1');

    // Sunday 00:10: 20 minutes now, 30 the next Sunday, the last 10 the Sunday after.
    const preview = await customer.post('/v1/sla/preview').send({ policyId: pol, openedAt: '2027-03-07T00:10:00Z' }).expect(200);
    conforms(preview, 'post', '/v1/sla/preview');
    expect(preview.body.deadlines[0]).toMatchObject({ kind: 'first_response', dueAt: '2027-03-21T00:10:00.000Z' });
  });

  it('previews every deadline of a stored or inline policy in a chosen zone', async () => {
    const stored = await customer
      .post('/v1/sla/preview')
      .send({ policyId: 'emetrotel-premium-plus', priority: 'urgent', openedAt: '2027-03-01T09:00:00+01:00', zone: 'America/New_York' })
      .expect(200);
    expect(stored.body).toMatchObject({
      policy: 'emetrotel-premium-plus@2',
      priority: 'urgent',
      openedAt: '2027-03-01T08:00:00.000Z',
      zone: 'America/New_York',
    });
    expect(stored.body.deadlines.map((d: { kind: string }) => d.kind)).toContain('first_response');
    expect(stored.body.deadlines[0].text).toMatch(/America\/New_York$/);
    const inline = await customer
      .post('/v1/sla/preview')
      .send({ policy: policyBody(90), openedAt: '2027-03-01T09:00:00Z' })
      .expect(200);
    expect(inline.body.deadlines[0]).toMatchObject({ kind: 'first_response', dueAt: '2027-03-01T09:01:30.000Z' });
    const badZone = await customer
      .post('/v1/sla/preview')
      .send({ policyId: 'mailup-standard', openedAt: '2027-03-01T09:00:00Z', zone: 'Mars/Base' })
      .expect(422);
    expect(badZone.body.errors).toEqual([{ path: 'body.zone', message: 'unknown IANA time zone' }]);
  });
});

describe('policy change walk', () => {
  it('walks every open ticket page by page, continuing as new between pages, and skips closed ones', async () => {
    const id = `walk-${run}`;
    await stack.http.put(`/v1/policies/${id}`).send(policyBody(3600)).expect(201);
    await sell(id);
    const opened: Array<{ id: string; openedAt: string }> = [];
    for (let i = 0; i < 5; i++)
      opened.push(
        (
          await customer
            .post('/v1/tickets')
            .send({ ...ticketBody, policyId: id })
            .expect(201)
        ).body,
      );
    for (const t of opened) await rowOf(t.id);
    const [closed] = opened;
    await stack.http.post(`/v1/tickets/${closed!.id}/respond`).send({ agent: 'a', message: 'm' }).expect(200);
    await stack.http.post(`/v1/tickets/${closed!.id}/resolve`).send({ agent: 'a', resolution: 'solution' }).expect(200);
    await stack.http.post(`/v1/tickets/${closed!.id}/close`).send({ agent: 'a' }).expect(200);
    await waitFor(async () => ((await rowOf(closed!.id)).status === 'closed' ? true : undefined));
    const { id: _i, version: _v, ...p } = fastPolicy(id, { firstResponse: 5400 });
    const policy = { ...p, id, version: 2, name: `Policy ${run}` };
    const h = await stack.client.workflow.start(policyChangeWorkflow, {
      workflowId: policyChangeWorkflowId(id, 2),
      taskQueue: stack.taskQueue,
      args: [{ policy, fingerprint: 'f', calendars: {}, store: true, pageSize: 2 }],
    });
    expect(await h.result()).toMatchObject({ signalled: 4, finished: 0, done: true });
    const runs = (await h.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    expect(runs).toBeTruthy();
    for (const t of opened.slice(1)) {
      await waitFor(async () => (Date.parse((await dueOf(t.id)) ?? '') - Date.parse(t.openedAt) === 5400_000 ? true : undefined));
    }
  });
});
