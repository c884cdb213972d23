import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { tickets } from '../../src/db/schema';
import { ticketWorkflowId } from '../../workflows/ticket/contract';
import { authed, startStack, type Http, type Stack } from '../support/stack';

/**
 * Every route × every role × own / other tenant, with the exact status. Bodies that pass the access
 * check are deliberately invalid (an unknown field, or a policy the customer did not buy) wherever the
 * route would change something, so a permitted cell answers 422 and the matrix leaves the tickets,
 * subscriptions, customers and resellers as they were.
 */
type Role = 'customer' | 'reseller' | 'staff' | 'admin' | 'none';
type Tenant = 'own' | 'other';
type Expect = Record<Role, readonly [number, number]>;
interface Row {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: (t: Fixtures[Tenant]) => string;
  body?: (t: Fixtures[Tenant]) => unknown;
  expect: Expect;
  /** The problem code every answer of a status carries, where the status alone does not say which check answered. */
  codes?: Partial<Record<number, string>>;
}
interface Fixture {
  ticket: string;
  subscription: string;
  /** A customer on record and its reseller (the customer key's own customer buys directly: see beforeAll). */
  customerId: string;
  resellerId: string;
}
type Fixtures = Record<Tenant, Fixture>;

const run = randomUUID().slice(0, 8);
/** Buys directly; the customer key's tenant. */
const custA = `cust-a-${run}`;
/** Buys through reseller B. */
const custB = `cust-b-${run}`;
/** Buys through reseller A; the reseller key's own end customer. */
const endCustomer = `end-${run}`;
const nobody = `nobody-${run}`;
const resellerA = `res-a-${run}`;
const resellerB = `res-b-${run}`;
const bogus = { bogus: 1 };
const all = (s: number): Expect => ({ customer: [s, s], reseller: [s, s], staff: [s, s], admin: [s, s], none: [401, 401] });
const same = (c: number, r: number, s: number, a: number): Expect => ({
  customer: [c, c],
  reseller: [r, r],
  staff: [s, s],
  admin: [a, a],
  none: [401, 401],
});
const adminOnly = (ok: number) => same(403, 403, 403, ok);
const publicRoute: Expect = { customer: [200, 200], reseller: [200, 200], staff: [200, 200], admin: [200, 200], none: [200, 200] };
/** A ticket action only staff may take: invisible (404) beats forbidden (403) for another tenant's ticket. */
const staffOnTicket: Expect = { customer: [403, 404], reseller: [403, 404], staff: [422, 422], admin: [422, 422], none: [401, 401] };
const staffOnSubscription: Expect = { customer: [403, 404], reseller: [404, 404], staff: [422, 422], admin: [422, 422], none: [401, 401] };
/** A customer record is its tenants' to read, staff's to change. */
const customerRecord: Expect = { customer: [200, 404], reseller: [200, 404], staff: [200, 200], admin: [200, 200], none: [401, 401] };
const staffOnCustomer: Expect = { customer: [403, 404], reseller: [403, 404], staff: [422, 422], admin: [422, 422], none: [401, 401] };
/** A reseller record is no customer's: invisible to a customer key, readable by its own reseller key. */
const resellerRecord: Expect = { customer: [404, 404], reseller: [200, 404], staff: [200, 200], admin: [200, 200], none: [401, 401] };
const staffOnReseller: Expect = { customer: [404, 404], reseller: [403, 404], staff: [422, 422], admin: [422, 422], none: [401, 401] };
/** Why a ticket open was refused: the tenant named in the body, an invisible customer, or what the contract allows. */
const openCodes = { 403: 'tenant_mismatch', 404: 'not_found', 422: 'policy_not_in_contract' };

const ticketActions = [
  'respond',
  'request-info',
  'callback',
  'priority',
  'assign',
  'escalate',
  'mitigate',
  'downgrade',
  'resolve',
  'reopen',
  'close',
  'development/progress',
  'development/resolve',
];
const subscriptionActions = ['renew', 'reinstate', 'upgrade', 'seats', 'cancel', 'warranty-extension'];

const rows: Record<string, Row> = {
  'GET /v1/tickets': { method: 'get', path: () => '/v1/tickets', expect: all(200) },
  'GET /v1/tickets?customerId': { method: 'get', path: (t) => `/v1/tickets?customerId=${t.customerId}`, expect: all(200) },
  'POST /v1/tickets (naming the reseller, policy not bought)': {
    method: 'post',
    path: () => '/v1/tickets',
    // A tenant the key may open for gets as far as the contract (422); naming another reseller is refused first (403).
    body: (t) => ({
      customerId: t.customerId,
      resellerId: t.resellerId,
      requesterEmail: 'a@b.test',
      subject: 'x',
      policyId: 'no-such-policy',
    }),
    expect: { customer: [403, 403], reseller: [422, 403], staff: [422, 422], admin: [422, 422], none: [401, 401] },
    codes: openCodes,
  },
  'POST /v1/tickets (customer key own id only, reseller key own customers only)': {
    method: 'post',
    path: () => '/v1/tickets',
    // Another reseller's end customer is invisible to a reseller key (404), as its tickets are.
    body: (t) => ({ customerId: t.customerId, requesterEmail: 'a@b.test', subject: 'x', policyId: 'no-such-policy' }),
    expect: { customer: [422, 403], reseller: [422, 404], staff: [422, 422], admin: [422, 422], none: [401, 401] },
    codes: openCodes,
  },
  'POST /v1/tickets (customer not on record)': {
    method: 'post',
    path: () => '/v1/tickets',
    body: () => ({ customerId: nobody, requesterEmail: 'a@b.test', subject: 'x' }),
    expect: same(403, 404, 422, 422),
    codes: { ...openCodes, 422: 'unknown_customer' },
  },
  'GET /v1/tickets/:id': {
    method: 'get',
    path: (t) => `/v1/tickets/${t.ticket}`,
    expect: { customer: [200, 404], reseller: [200, 404], staff: [200, 200], admin: [200, 200], none: [401, 401] },
  },
  'GET /v1/tickets/:id (missing)': { method: 'get', path: () => '/v1/tickets/T-DOES-NOT-EXIST', expect: all(404) },
  ...Object.fromEntries(
    ticketActions.map((a) => [
      `POST /v1/tickets/:id/${a}`,
      { method: 'post', path: (t: Fixture) => `/v1/tickets/${t.ticket}/${a}`, body: () => bogus, expect: staffOnTicket },
    ]),
  ),
  'POST /v1/tickets/:id/replies': {
    method: 'post',
    path: (t) => `/v1/tickets/${t.ticket}/replies`,
    body: () => bogus,
    expect: { customer: [422, 404], reseller: [422, 404], staff: [422, 422], admin: [422, 422], none: [401, 401] },
  },
  'POST /v1/tickets/:id/phone-message': {
    method: 'post',
    path: (t) => `/v1/tickets/${t.ticket}/phone-message`,
    body: () => bogus,
    expect: { customer: [422, 404], reseller: [422, 404], staff: [422, 422], admin: [422, 422], none: [401, 401] },
  },
  'POST /v1/subscriptions': { method: 'post', path: () => '/v1/subscriptions', body: () => bogus, expect: same(403, 403, 422, 422) },
  'GET /v1/subscriptions/:id': {
    method: 'get',
    path: (t) => `/v1/subscriptions/${t.subscription}`,
    expect: { customer: [200, 404], reseller: [404, 404], staff: [200, 200], admin: [200, 200], none: [401, 401] },
  },
  'GET /v1/subscriptions': { method: 'get', path: () => '/v1/subscriptions', expect: all(200) },
  'GET /v1/subscriptions?customerId': { method: 'get', path: (t) => `/v1/subscriptions?customerId=${t.customerId}`, expect: all(200) },
  // A customer key reads its own subscription's invoices; no fixture subscription is a reseller's end customer's.
  'GET /v1/subscriptions/:id/invoices': {
    method: 'get',
    path: (t) => `/v1/subscriptions/${t.subscription}/invoices`,
    expect: { customer: [200, 404], reseller: [404, 404], staff: [200, 200], admin: [200, 200], none: [401, 401] },
  },
  'GET /v1/subscriptions/:id/invoices (missing)': {
    method: 'get',
    path: () => '/v1/subscriptions/S-DOES-NOT-EXIST/invoices',
    expect: all(404),
  },
  ...Object.fromEntries(
    subscriptionActions.map((a) => [
      `POST /v1/subscriptions/:id/${a}`,
      { method: 'post', path: (t: Fixture) => `/v1/subscriptions/${t.subscription}/${a}`, body: () => bogus, expect: staffOnSubscription },
    ]),
  ),
  'GET /v1/policies': { method: 'get', path: () => '/v1/policies', expect: all(200) },
  'GET /v1/policies/:id': { method: 'get', path: () => '/v1/policies/mailup-standard', expect: all(200) },
  'PUT /v1/policies/:id': { method: 'put', path: () => `/v1/policies/authz-${run}`, body: () => bogus, expect: adminOnly(422) },
  'GET /v1/calendars': { method: 'get', path: () => '/v1/calendars', expect: all(200) },
  'GET /v1/calendars/:id': { method: 'get', path: () => '/v1/calendars/weekday-9-5', expect: all(200) },
  'PUT /v1/calendars/:id': { method: 'put', path: () => `/v1/calendars/authz-${run}`, body: () => bogus, expect: adminOnly(422) },
  'POST /v1/sla/preview': {
    method: 'post',
    path: () => '/v1/sla/preview',
    body: () => ({ policyId: 'mailup-standard', openedAt: '2027-03-01T09:00:00Z' }),
    expect: all(200),
  },
  'POST /v1/customers': { method: 'post', path: () => '/v1/customers', body: () => bogus, expect: same(403, 403, 422, 422) },
  'GET /v1/customers': { method: 'get', path: () => '/v1/customers', expect: same(403, 200, 200, 200) },
  'GET /v1/customers/:id': { method: 'get', path: (t) => `/v1/customers/${t.customerId}`, expect: customerRecord },
  'GET /v1/customers/:id (missing)': { method: 'get', path: () => `/v1/customers/${nobody}`, expect: all(404) },
  'GET /v1/customers/:id/charges': { method: 'get', path: (t) => `/v1/customers/${t.customerId}/charges`, expect: customerRecord },
  'GET /v1/customers/:id/charges (missing)': { method: 'get', path: () => `/v1/customers/${nobody}/charges`, expect: all(404) },
  'GET /v1/customers/:id/features': { method: 'get', path: (t) => `/v1/customers/${t.customerId}/features`, expect: customerRecord },
  'GET /v1/customers/:id/features (missing)': { method: 'get', path: () => `/v1/customers/${nobody}/features`, expect: all(404) },
  'GET /v1/customers/:id/admin-events': {
    method: 'get',
    path: (t) => `/v1/customers/${t.customerId}/admin-events`,
    expect: customerRecord,
  },
  'POST /v1/customers/:id/admin-events': {
    method: 'post',
    path: (t) => `/v1/customers/${t.customerId}/admin-events`,
    body: () => bogus,
    expect: staffOnCustomer,
  },
  'GET /v1/customers/:id/config-backups': {
    method: 'get',
    path: (t) => `/v1/customers/${t.customerId}/config-backups`,
    expect: customerRecord,
  },
  'POST /v1/customers/:id/config-backups': {
    method: 'post',
    path: (t) => `/v1/customers/${t.customerId}/config-backups`,
    body: () => bogus,
    expect: staffOnCustomer,
  },
  'PATCH /v1/customers/:id': {
    method: 'patch',
    path: (t) => `/v1/customers/${t.customerId}`,
    body: () => bogus,
    expect: staffOnCustomer,
    codes: { 422: 'validation_failed' },
  },
  'POST /v1/resellers': { method: 'post', path: () => '/v1/resellers', body: () => bogus, expect: same(403, 403, 422, 422) },
  'GET /v1/resellers': { method: 'get', path: () => '/v1/resellers', expect: same(403, 403, 200, 200) },
  'GET /v1/resellers/:id': { method: 'get', path: (t) => `/v1/resellers/${t.resellerId}`, expect: resellerRecord },
  'PATCH /v1/resellers/:id': {
    method: 'patch',
    path: (t) => `/v1/resellers/${t.resellerId}`,
    body: () => bogus,
    expect: staffOnReseller,
    codes: { 422: 'validation_failed' },
  },
  'POST /v1/tickets/:id/time': { method: 'post', path: (t) => `/v1/tickets/${t.ticket}/time`, body: () => bogus, expect: staffOnTicket },
  'GET /v1/tickets/:id/time': {
    method: 'get',
    path: (t) => `/v1/tickets/${t.ticket}/time`,
    expect: { customer: [200, 404], reseller: [200, 404], staff: [200, 200], admin: [200, 200], none: [401, 401] },
  },
  // Customer and reseller keys read the public conversation; notes and the development ticket are staff's.
  'GET /v1/tickets/:id/messages': {
    method: 'get',
    path: (t) => `/v1/tickets/${t.ticket}/messages`,
    expect: { customer: [200, 404], reseller: [200, 404], staff: [200, 200], admin: [200, 200], none: [401, 401] },
  },
  'GET /v1/tickets/:id/timeline': {
    method: 'get',
    path: (t) => `/v1/tickets/${t.ticket}/timeline`,
    expect: { customer: [200, 404], reseller: [200, 404], staff: [200, 200], admin: [200, 200], none: [401, 401] },
  },
  'POST /v1/tickets/:id/notes': { method: 'post', path: (t) => `/v1/tickets/${t.ticket}/notes`, body: () => bogus, expect: staffOnTicket },
  'GET /v1/tickets/:id/development (never escalated)': {
    method: 'get',
    path: (t) => `/v1/tickets/${t.ticket}/development`,
    expect: { customer: [403, 404], reseller: [403, 404], staff: [404, 404], admin: [404, 404], none: [401, 401] },
    codes: { 403: 'forbidden' },
  },
  'GET /v1/quotes/:id (missing)': { method: 'get', path: () => `/v1/quotes/Q-${run}`, expect: all(404) },
  'POST /v1/quotes/:id/accept (missing)': {
    method: 'post',
    path: () => `/v1/quotes/Q-${run}/accept`,
    body: () => ({ purchaseOrder: 'PO-1' }),
    expect: all(404),
  },
  'GET /v1/plans': { method: 'get', path: () => '/v1/plans', expect: same(200, 200, 200, 200) },
  'GET /v1/plans/:id': { method: 'get', path: () => '/v1/plans/per-user-support', expect: same(200, 200, 200, 200) },
  'PUT /v1/plans/:id': { method: 'put', path: () => '/v1/plans/per-user-support', body: () => bogus, expect: adminOnly(422) },
  'GET /v1/catalog': { method: 'get', path: () => '/v1/catalog', expect: same(403, 403, 200, 200) },
  'PUT /v1/catalog': { method: 'put', path: () => '/v1/catalog', body: () => bogus, expect: adminOnly(422) },
  'POST /v1/api-keys': { method: 'post', path: () => '/v1/api-keys', body: () => bogus, expect: adminOnly(422) },
  'GET /v1/api-keys': { method: 'get', path: () => '/v1/api-keys', expect: adminOnly(200) },
  'DELETE /v1/api-keys/:id': { method: 'delete', path: () => '/v1/api-keys/key_missing', expect: adminOnly(404) },
  'GET /metrics': { method: 'get', path: () => '/metrics', expect: same(403, 403, 200, 200) },
  'GET /v1/reports/sla': {
    method: 'get',
    path: () => '/v1/reports/sla?from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:00Z',
    expect: same(403, 403, 200, 200),
  },
  'GET /health/live': { method: 'get', path: () => '/health/live', expect: publicRoute },
  'GET /health/ready': { method: 'get', path: () => '/health/ready', expect: publicRoute },
  'GET /v1/openapi.json': { method: 'get', path: () => '/v1/openapi.json', expect: publicRoute },
  'GET /v1/docs': { method: 'get', path: () => '/v1/docs', expect: publicRoute },
};

let stack: Stack;
let as: Record<Exclude<Role, 'none'>, Http>;
/** What "own" and "other" mean for each role's key. */
let fixtures: Record<Role, Fixtures>;

beforeAll(async () => {
  stack = await startStack();
  // Tickets open only for customers on record, on what their contracts offer (the resellers come with them).
  await stack.customer({ id: custA, policies: ['mailup-standard'] });
  await stack.customer({ id: custB, policies: ['mailup-standard'], resellerId: resellerB });
  await stack.customer({ id: endCustomer, policies: ['mailup-standard'], resellerId: resellerA });
  as = {
    customer: authed(stack.app, await stack.key('customer', custA)),
    reseller: authed(stack.app, await stack.key('reseller', resellerA)),
    staff: authed(stack.app, await stack.key('staff')),
    admin: stack.http,
  };
  const ticket = { requesterEmail: 'ann@example.test', subject: 'Printer on fire', policyId: 'mailup-standard' };
  // Each key opens its own fixture ticket: the 201s of the matrix.
  const tA = await as.customer.post('/v1/tickets').send(ticket).expect(201);
  const tR = await as.reseller
    .post('/v1/tickets')
    .send({ ...ticket, customerId: endCustomer })
    .expect(201);
  const tB = await as.staff
    .post('/v1/tickets')
    .send({ ...ticket, customerId: custB, resellerId: resellerB })
    .expect(201);
  const sub = (id: string, customerId: string) =>
    as.staff
      .post('/v1/subscriptions')
      .send({ id, customerId, contactEmail: 'billing@example.test', planId: 'assurance-standard', timeZone: 'UTC' })
      .expect(201);
  await sub(`S-A-${run}`, custA);
  await sub(`S-B-${run}`, custB);
  const a: Fixture = { ticket: tA.body.id, subscription: `S-A-${run}`, customerId: custA, resellerId: resellerA };
  const b: Fixture = { ticket: tB.body.id, subscription: `S-B-${run}`, customerId: custB, resellerId: resellerB };
  const r: Fixture = { ticket: tR.body.id, subscription: `S-A-${run}`, customerId: endCustomer, resellerId: resellerA };
  // Staff see every tenant alike; their "own" is the reseller's end customer, whose reseller is its own.
  fixtures = {
    customer: { own: a, other: b },
    reseller: { own: r, other: b },
    staff: { own: r, other: b },
    admin: { own: r, other: b },
    none: { own: a, other: b },
  };
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const cells = Object.entries(rows).flatMap(([name, row]) =>
  (['customer', 'reseller', 'staff', 'admin', 'none'] as const).flatMap((role) =>
    (['own', 'other'] as const).map((tenant) => ({ name, row, role, tenant })),
  ),
);

describe('authorization matrix', () => {
  it(`answers the exact status in all ${cells.length} cells (${Object.keys(rows).length} routes × 5 roles × own/other)`, async () => {
    const failures: string[] = [];
    for (const { name, row, role, tenant } of cells) {
      const fx = fixtures[role][tenant];
      const path = row.path(fx);
      const req = role === 'none' ? request(stack.app)[row.method](path) : as[role][row.method](path);
      const res = await (row.body ? req.send(row.body(fx) as object) : req);
      const want = row.expect[role][tenant === 'own' ? 0 : 1];
      if (res.status !== want)
        failures.push(`${name} as ${role} (${tenant}): ${res.status} ≠ ${want} ${JSON.stringify(res.body).slice(0, 200)}`);
      const code = row.codes?.[res.status];
      if (code !== undefined && res.body?.code !== code)
        failures.push(`${name} as ${role} (${tenant}): ${res.status} ${String(res.body?.code)} ≠ ${code}`);
      if (res.status >= 400 && res.headers['content-type']?.includes('application/problem+json') !== true)
        failures.push(`${name} as ${role}: not problem+json`);
      if (res.status === 401 && res.headers['www-authenticate'] !== 'Bearer realm="supportflow"')
        failures.push(`${name}: 401 without WWW-Authenticate`);
    }
    expect(failures).toEqual([]);
  });

  it('scopes lists: a customer sees only its tickets, a reseller only those it opened', async () => {
    const mine = await as.customer.get('/v1/tickets?limit=200').expect(200);
    expect(mine.body.items.map((t: { customerId: string }) => t.customerId)).toEqual(mine.body.items.map(() => custA));
    const other = await as.customer.get(`/v1/tickets?customerId=${custB}`).expect(200);
    expect(other.body.items).toEqual([]);
    const resold = await as.reseller.get('/v1/tickets?limit=200').expect(200);
    expect(resold.body.items.every((t: { resellerId: string }) => t.resellerId === resellerA)).toBe(true);
  });

  it('hides other tenants’ customers: a reseller key cannot open for or read another’s, a customer key reads only its own', async () => {
    const subject = `Foreign ${run}`;
    const openFor = (customerId: string) =>
      as.reseller.post('/v1/tickets').send({ requesterEmail: 'ann@example.test', subject, customerId, policyId: 'mailup-standard' });
    // Another reseller's end customer, a direct customer and one not on record answer alike: 404, nothing started.
    const answers = [];
    for (const id of [custB, custA, nobody]) {
      const res = await openFor(id).expect(404);
      answers.push({ ...res.body, detail: String(res.body.detail).replace(id, '<id>') });
    }
    expect(answers[0]).toMatchObject({ status: 404, code: 'not_found' });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await stack.db.db.select().from(tickets).where(eq(tickets.subject, subject))).toEqual([]);
    const started: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `CustomerId = '${custB}' AND WorkflowType = 'ticketWorkflow'` }))
      started.push(wf.workflowId);
    expect(started).toEqual([ticketWorkflowId(fixtures.reseller.other.ticket)]);
    // The same reseller key opens for its own end customer.
    const own = await openFor(endCustomer).expect(201);
    expect(own.body.policyId).toBe('mailup-standard');

    // Reading: its own end customer only, and itself.
    expect((await as.reseller.get(`/v1/customers/${endCustomer}`).expect(200)).body).toMatchObject({
      id: endCustomer,
      resellerId: resellerA,
    });
    for (const id of [custB, custA, nobody]) expect((await as.reseller.get(`/v1/customers/${id}`).expect(404)).body.code).toBe('not_found');
    const listed = await as.reseller.get('/v1/customers?limit=200').expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([endCustomer]);
    expect((await as.reseller.get(`/v1/resellers/${resellerA}`).expect(200)).body).toMatchObject({ id: resellerA });
    await as.reseller.get(`/v1/resellers/${resellerB}`).expect(404);

    // A customer key reads its own record; another customer's is as absent as a missing one.
    expect((await as.customer.get(`/v1/customers/${custA}`).expect(200)).body).toMatchObject({
      id: custA,
      contracts: [{ policyId: 'mailup-standard' }],
    });
    for (const id of [custB, endCustomer, nobody])
      expect((await as.customer.get(`/v1/customers/${id}`).expect(404)).body.code).toBe('not_found');
    await as.customer.get('/v1/customers').expect(403);
  });

  it('accepts X-Api-Key, refuses malformed, unknown and revoked keys with 401', async () => {
    const created = await stack.http.post('/v1/api-keys').send({ role: 'staff', label: 'to revoke' }).expect(201);
    expect(created.body.key).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
    await request(stack.app).get('/v1/tickets?limit=1').set('X-Api-Key', created.body.key).expect(200);
    const listed = await stack.http.get('/v1/api-keys').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    await stack.http.delete(`/v1/api-keys/${created.body.id}`).expect(200);
    const revoked = await request(stack.app).get('/v1/tickets').set('Authorization', `Bearer ${created.body.key}`).expect(401);
    expect(revoked.body.detail).toMatch(/unknown or revoked/);
    await request(stack.app).get('/v1/tickets').set('Authorization', 'Basic Zm9vOmJhcg==').expect(401);
    await request(stack.app).get('/v1/tickets').set('Authorization', 'Bearer sf_not-a-key').expect(401);
  });
});
