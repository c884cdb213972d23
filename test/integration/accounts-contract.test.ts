import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { subscriptions, ticketEvents, tickets } from '../../src/db/schema';
import { presetPolicyStore } from '../../src/tickets/policy-store';
import { fastPolicy } from '../support/policies';
import { ticketWorkflowId } from '../../workflows/ticket/contract';
import { authed, startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * Issue 13: what the customer bought decides the ticket, whatever the client sends. Every refusal
 * names its reason, carries the vendor's own advice, and leaves nothing behind: no workflow, no row.
 */
let stack: Stack;
const run = randomUUID().slice(0, 6);
const uid = (p: string) => `${p}-${run}-${randomUUID().slice(0, 4)}`;

beforeAll(async () => {
  stack = await startStack({
    policies: presetPolicyStore({
      'basic-1h': fastPolicy('basic-1h', { firstResponse: 3600 }),
      'gold-10m': fastPolicy('gold-10m', { firstResponse: 600 }),
    }),
  });
});
afterAll(async () => {
  await stack?.stop();
});

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;
const since = new Date(Date.now() - YEAR).toISOString();

/** A refusal: the code, and proof that nothing was started or written for the ticket. */
async function expectNothingFor(customerId: string) {
  const rows = await stack.db.db.select().from(tickets).where(eq(tickets.customerId, customerId));
  expect(rows).toHaveLength(0);
  const started = [];
  for await (const wf of stack.client.workflow.list({ query: `CustomerId = '${customerId}'` })) started.push(wf.workflowId);
  expect(started).toEqual([]);
}

const open = (body: Record<string, unknown>) => stack.http.post('/v1/tickets').send({ subject: 'Phones down', ...body });

describe('accounts: customers and resellers as records', () => {
  it('creates, reads, lists by reseller and patches; refuses what would make a record inconsistent', async () => {
    const reseller = uid('r');
    await stack.http.post('/v1/resellers').send({ id: reseller, name: 'Telco Partners', vendorId: 'emetrotel' }).expect(201);
    const id = uid('c');
    const body = {
      id,
      name: 'Dental Group',
      timeZone: 'America/Toronto',
      vendorId: 'emetrotel',
      resellerId: reseller,
      contacts: [{ name: 'Ann', email: 'Ann@Dental.test' }],
      domains: ['Dental.test'],
      systems: [{ id: 'ucx-1', type: 'UCX250', hostId: 'H-77', release: '6.0' }],
      contracts: [{ id: 'k1', policyId: 'emetrotel-standard', validFrom: since, systemIds: ['ucx-1'] }],
    };
    const created = await stack.http.post('/v1/customers').send(body).expect(201);
    expect(created.headers.location).toBe(`/v1/customers/${id}`);
    expect(created.body).toMatchObject({ id, domains: ['dental.test'], resellerId: reseller });
    await stack.http.post('/v1/customers').send(body).expect(409);

    const got = await stack.http.get(`/v1/customers/${id}`).expect(200);
    expect(got.body.contracts).toEqual([{ id: 'k1', policyId: 'emetrotel-standard', validFrom: since, systemIds: ['ucx-1'] }]);
    const resellerKey = authed(stack.app, await stack.key('reseller', reseller));
    const listed = await resellerKey.get('/v1/customers').expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([id]);

    const patched = await stack.http.patch(`/v1/customers/${id}`).send({ name: 'Dental Group West' }).expect(200);
    expect(patched.body).toMatchObject({ name: 'Dental Group West', contracts: got.body.contracts });

    const refusals: Array<[Record<string, unknown>, string, string]> = [
      [{ ...body, id: uid('c'), vendorId: 'acme' }, 'unknown_vendor', 'body.vendorId'],
      [{ ...body, id: uid('c'), resellerId: 'nobody' }, 'unknown_reseller', 'body.resellerId'],
      [
        { ...body, id: uid('c'), contracts: [{ id: 'k1', policyId: 'gold', validFrom: since }] },
        'invalid_account',
        'body.contracts.0.policyId',
      ],
      [
        { ...body, id: uid('c'), contracts: [{ id: 'k1', policyId: 'emetrotel-standard', validFrom: since, systemIds: ['x'] }] },
        'invalid_account',
        'body.contracts.0.systemIds.0',
      ],
    ];
    for (const [bad, code, path] of refusals) {
      const res = await stack.http.post('/v1/customers').send(bad).expect(422);
      expect(res.body.code).toBe(code);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      await stack.http.get(`/v1/customers/${bad.id as string}`).expect(404);
    }
    const badPatch = await stack.http.patch(`/v1/customers/${id}`).send({ systems: [] }).expect(422);
    expect(badPatch.body.code).toBe('invalid_account');
    expect((await stack.http.get(`/v1/customers/${id}`).expect(200)).body.systems).toHaveLength(1);
  });

  it('a customer key reads its own record only', async () => {
    const mine = await stack.customer({ policies: ['smartwork-emea'] });
    const theirs = await stack.customer({ policies: ['smartwork-emea'] });
    const key = authed(stack.app, await stack.key('customer', mine));
    await key.get(`/v1/customers/${mine}`).expect(200);
    await key.get(`/v1/customers/${theirs}`).expect(404);
    await key
      .post('/v1/customers')
      .send({ id: uid('c'), name: 'x', timeZone: 'UTC', vendorId: 'smartwork' })
      .expect(403);
  });
});

describe('002 E-MetroTel: the contract of the system decides, through the reseller', () => {
  let reseller: string;
  let customer: string;
  const ticketFields = { callScenario: 'Inbound calls to the main line ring once and drop' };
  beforeAll(async () => {
    reseller = uid('r');
    customer = await stack.customer({
      vendorId: 'emetrotel',
      resellerId: reseller,
      domains: ['clinic.test'],
      systems: [
        { id: 'ucx-main', type: 'UCX250', hostId: 'HOST-1', release: '6.0' },
        { id: 'ucx-branch', type: 'UCX50', hostId: 'HOST-2', release: '5.1' },
      ],
      contracts: [{ id: 'std-2026', policyId: 'emetrotel-standard', validFrom: since, systemIds: ['ucx-main'] }],
    });
  });

  it('opens on the policy bought, with the system’s details prefilled, whatever policy the client would like', async () => {
    const key = authed(stack.app, await stack.key('reseller', reseller));
    const wanted = await key
      .post('/v1/tickets')
      .send({
        customerId: customer,
        requesterEmail: 'it@clinic.test',
        subject: 'Drops',
        policyId: 'emetrotel-premium-plus',
        systemId: 'ucx-main',
        fields: ticketFields,
      })
      .expect(422);
    expect(wanted.body.code).toBe('policy_not_in_contract');
    expect(wanted.body.errors).toEqual([{ path: 'body.policyId', message: 'allowed: emetrotel-standard' }]);
    await expectNothingFor(customer);

    const res = await key
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'it@clinic.test', subject: 'Drops', systemId: 'ucx-main', fields: ticketFields })
      .expect(201);
    expect(res.body).toMatchObject({ policyId: 'emetrotel-standard', coveredBy: { kind: 'contract', id: 'std-2026' }, channel: 'web' });
    const row = await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, res.body.id)))[0]);
    expect(row).toMatchObject({
      policyId: 'emetrotel-standard',
      resellerId: reseller,
      channel: 'web',
      coveredBy: { kind: 'contract', id: 'std-2026' },
    });
    const read = await key.get(`/v1/tickets/${res.body.id}`).expect(200);
    expect(read.body.coveredBy).toEqual({ kind: 'contract', id: 'std-2026' });
    expect(row.fields).toMatchObject({
      endCustomerName: `Customer ${customer}`,
      systemType: 'UCX250',
      hostId: 'HOST-1',
      softwareRelease: '6.0',
    });
  });

  it('refuses a system the contract does not cover with the registry’s answer, and an unknown one', async () => {
    const other = await open({
      customerId: customer,
      requesterEmail: 'it@clinic.test',
      systemId: 'ucx-branch',
      fields: ticketFields,
    }).expect(409);
    expect(other.body.code).toBe('system_not_covered');
    expect(other.body.detail).toMatch(/manufacturer registry/);
    expect(other.body.detail).toMatch(/HOST-2/);
    const unknown = await open({ customerId: customer, requesterEmail: 'it@clinic.test', systemId: 'ucx-9', fields: ticketFields }).expect(
      422,
    );
    expect(unknown.body.code).toBe('unknown_system');
  });

  it('hides another reseller’s customer (404) and refuses a phone ticket for a stranger’s address', async () => {
    const stranger = authed(stack.app, await stack.key('reseller', await stack.reseller(uid('r'))));
    await stranger
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'it@clinic.test', subject: 'x', systemId: 'ucx-main', fields: ticketFields })
      .expect(404);
    await stranger.get(`/v1/customers/${customer}`).expect(404);
    const mailStranger = await open({
      customerId: customer,
      requesterEmail: 'victim@elsewhere.test',
      systemId: 'ucx-main',
      fields: ticketFields,
    }).expect(422);
    expect(mailStranger.body.code).toBe('requester_not_allowed');
  });

  it('after the contract ends: the vendor’s own advice (renew through the reseller, what to purchase), nothing started', async () => {
    const lapsed = await stack.customer({
      vendorId: 'emetrotel',
      domains: ['lapsed.test'],
      systems: [{ id: 'ucx', type: 'UCX250', hostId: 'H-9', release: '5.0' }],
      contracts: [{ id: 'old', policyId: 'emetrotel-premium', validFrom: since, validTo: new Date(Date.now() - HOUR).toISOString() }],
    });
    const res = await open({ customerId: lapsed, requesterEmail: 'it@lapsed.test', systemId: 'ucx', fields: ticketFields }).expect(409);
    expect(res.body.code).toBe('not_entitled');
    expect(res.body.detail).toMatch(/Contact your Reseller/);
    expect(res.body.detail).toMatch(/approved purchase order/);
    expect(res.body.detail).not.toMatch(/smartertools/i);
    await expectNothingFor(lapsed);
  });

  it('a Premium Plus customer asking for Standard gets what it bought', async () => {
    const plus = await stack.customer({
      policies: ['emetrotel-premium-plus'],
      systems: [{ id: 's', type: 'UCX250', hostId: 'H', release: '6.0' }],
    });
    const res = await open({
      customerId: plus,
      requesterEmail: 'a@acme.test',
      policyId: 'emetrotel-standard',
      systemId: 's',
      fields: ticketFields,
    }).expect(422);
    expect(res.body.errors).toEqual([{ path: 'body.policyId', message: 'allowed: emetrotel-premium-plus' }]);
    const ok = await open({
      customerId: plus,
      requesterEmail: 'a@acme.test',
      systemId: 's',
      priority: 'urgent',
      fields: ticketFields,
    }).expect(201);
    expect(ok.body.policyId).toBe('emetrotel-premium-plus');
    // Premium Plus is 24/7: an urgent ticket is owed within two wall-clock hours of opening.
    expect(Date.parse(ok.body.deadlines.first_response) - Date.parse(ok.body.openedAt)).toBe(2 * HOUR);
  });
});

describe('002 hardware warranty: the system’s own warranty decides', () => {
  it('opens a warranty request for hardware under warranty, refuses one whose warranty ended', async () => {
    const day = 24 * HOUR;
    const customer = await stack.customer({
      vendorId: 'emetrotel',
      systems: [
        { id: 'new-box', type: 'UCX450', hostId: 'H-NEW', release: '6.0', warrantyEnd: new Date(Date.now() + 200 * day).toISOString() },
        { id: 'old-box', type: 'UCX250', hostId: 'H-OLD', release: '5.0', warrantyEnd: new Date(Date.now() - 10 * day).toISOString() },
      ],
    });
    const body = {
      customerId: customer,
      requesterEmail: 'a@acme.test',
      service: 'hardware_warranty',
      fields: { callScenario: 'Power supply fails at boot' },
    };
    const ok = await open({ ...body, systemId: 'new-box' }).expect(201);
    expect(ok.body).toMatchObject({ policyId: 'emetrotel-hardware-warranty', coveredBy: { kind: 'warranty', id: 'new-box' } });

    const ended = await open({ ...body, systemId: 'old-box' }).expect(409);
    expect(ended.body.code).toBe('not_under_warranty');
    expect(ended.body.detail).toMatch(/H-OLD/);
    expect(ended.body.detail).toMatch(/options for resolution/);
    const unnamed = await open(body).expect(422);
    expect(unnamed.body.code).toBe('unknown_system');
    // Software support for the same customer still needs a support contract.
    const support = await open({ ...body, service: 'support', systemId: 'new-box' }).expect(409);
    expect(support.body.code).toBe('not_entitled');
    // Only the warranty request was opened: the three refusals wrote nothing.
    await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, ok.body.id)))[0]);
    const rows = await stack.db.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.customerId, customer));
    expect(rows).toEqual([{ id: ok.body.id }]);
  });

  it('a vendor without warranty service says so', async () => {
    const customer = await stack.customer({ policies: ['smartwork-emea'], systems: [{ id: 's', type: 'Server' }] });
    const res = await open({ customerId: customer, requesterEmail: 'a@acme.test', service: 'hardware_warranty', systemId: 's' }).expect(
      409,
    );
    expect(res.body.code).toBe('not_under_warranty');
    await expectNothingFor(customer);
  });
});

describe('channels are policy data', () => {
  it('001 smartwork is written only; 003 MailUp Standard takes no phone ticket, Premium does', async () => {
    const smartwork = await stack.customer({ policies: ['smartwork-emea'] });
    const phone = await open({ customerId: smartwork, requesterEmail: 'a@acme.test', channel: 'phone' }).expect(422);
    expect(phone.body).toMatchObject({ code: 'channel_not_served', errors: [{ path: 'body.channel', message: 'served: web, email' }] });
    await expectNothingFor(smartwork);

    const standard = await stack.customer({ policies: ['mailup-standard'] });
    const refused = await open({ customerId: standard, requesterEmail: 'a@acme.test', channel: 'phone' }).expect(422);
    expect(refused.body.code).toBe('channel_not_served');
    const byMail = await open({ customerId: standard, requesterEmail: 'a@acme.test' }).expect(201);
    expect(byMail.body).toMatchObject({ policyId: 'mailup-standard', channel: 'email' });

    const premium = await stack.customer({ policies: ['mailup-premium'] });
    const call = await open({
      customerId: premium,
      requesterEmail: 'a@acme.test',
      channel: 'phone',
      fields: { callbackPhone: '+39 02 1234 5678' },
    }).expect(201);
    expect(call.body).toMatchObject({ policyId: 'mailup-premium', channel: 'phone' });
    expect(call.body.deadlines.callback).toBeDefined();
  });

  it('000 standard support takes phone tickets; 003 Standard takes the console’s Help tab but no phone message', async () => {
    const smartertools = await stack.customer({ policies: ['smartertools-standard'] });
    const fields = { product: 'SmarterMail', productVersion: '100.0.9000' };
    const call = await open({ customerId: smartertools, requesterEmail: 'a@acme.test', channel: 'phone', fields }).expect(201);
    expect(call.body).toMatchObject({ policyId: 'smartertools-standard', channel: 'phone' });
    expect(call.body.deadlines.callback).toBeUndefined();

    const standard = await stack.customer({ policies: ['mailup-standard'] });
    const web = await open({ customerId: standard, requesterEmail: 'a@acme.test', channel: 'web' }).expect(201);
    expect(web.body).toMatchObject({ policyId: 'mailup-standard', channel: 'web' });
    const message = { message: 'Please call me', callbackPhone: '+39 02 1234 5678' };
    const refused = await stack.http.post(`/v1/tickets/${web.body.id}/phone-message`).send(message).expect(409);
    expect(refused.body.code).toBe('phone_not_served');
  });
});

describe('no contract: the vendor’s rule', () => {
  it('004: without a Support Subscription the request opens on the hourly path', async () => {
    const hourly = await stack.customer({ vendorId: 'per-user', policies: [] });
    const res = await open({ customerId: hourly, requesterEmail: 'a@acme.test' }).expect(201);
    expect(res.body).toMatchObject({ policyId: 'per-user-hourly', coveredBy: { kind: 'paid' } });
    const upgrade = await open({ customerId: hourly, requesterEmail: 'a@acme.test', policyId: 'per-user-support' }).expect(422);
    expect(upgrade.body.errors).toEqual([{ path: 'body.policyId', message: 'allowed: per-user-hourly' }]);
  });

  it('000: refused with SmarterTools’ advice, or opened when the emergency ticket is bought', async () => {
    const lapsed = await stack.customer({ vendorId: 'smartertools', policies: [] });
    const fields = { product: 'SmarterMail', productVersion: '100.0.9000' };
    const refused = await open({ customerId: lapsed, requesterEmail: 'a@acme.test', fields }).expect(409);
    expect(refused.body.code).toBe('not_entitled');
    expect(refused.body.detail).toMatch(/Emergency Support ticket/);
    await expectNothingFor(lapsed);
    const unpaid = await open({ customerId: lapsed, requesterEmail: 'a@acme.test', policyId: 'smartertools-emergency', fields }).expect(
      422,
    );
    expect(unpaid.body.code).toBe('payment_reference_required');
    await expectNothingFor(lapsed);
    const bought = await open({
      customerId: lapsed,
      requesterEmail: 'a@acme.test',
      policyId: 'smartertools-emergency',
      paymentReference: `pay-${lapsed}`,
      fields,
    }).expect(201);
    expect(bought.body).toMatchObject({ policyId: 'smartertools-emergency', coveredBy: { kind: 'paid' } });
    await stack.client.workflow.getHandle(ticketWorkflowId(bought.body.id)).describe();
  });

  it('an unknown customer is a 422 naming the field', async () => {
    const res = await open({ customerId: uid('ghost'), requesterEmail: 'a@acme.test' }).expect(422);
    expect(res.body).toMatchObject({ code: 'unknown_customer', errors: [{ path: 'body.customerId', message: 'unknown customer' }] });
  });
});

describe('a change of contract reaches the open tickets it covers', () => {
  it('an upgrade mid-ticket moves the remaining deadline onto the new terms, used time kept', async () => {
    const customer = await stack.customer({ contracts: [{ id: 'basic', policyId: 'basic-1h', validFrom: since }] });
    const opened = await open({ customerId: customer, requesterEmail: 'a@acme.test' }).expect(201);
    const id: string = opened.body.id;
    const openedAt = Date.parse(opened.body.openedAt);
    expect(Date.parse(opened.body.deadlines.first_response)).toBe(openedAt + HOUR);
    await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, id)))[0]);

    const upgrade = {
      contracts: [
        { id: 'basic', policyId: 'basic-1h', validFrom: since, validTo: new Date().toISOString() },
        { id: 'gold', policyId: 'gold-10m', validFrom: new Date().toISOString() },
      ],
    };
    const res = await stack.http.patch(`/v1/customers/${customer}`).send(upgrade).expect(200);
    expect(res.headers['tickets-moved']).toBe('1');
    // Ten minutes from the opening, not from the upgrade: the time already waited counts.
    const row = await waitFor(async () => {
      const [r] = await stack.db.db.select().from(tickets).where(eq(tickets.id, id));
      return r?.policyId === 'gold-10m' ? r : undefined;
    });
    expect(row.deadlines.first_response).toBe(new Date(openedAt + 600_000).toISOString());
    expect(row.coveredBy).toEqual({ kind: 'contract', id: 'gold' });
    const [event] = await stack.db.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, 'contract_changed')));
    expect(event?.data).toMatchObject({ from: { policyId: 'basic-1h' }, policyId: 'gold-10m' });

    // The same change again moves nothing; a ticket that stays covered as it was is left alone.
    const again = await stack.http.patch(`/v1/customers/${customer}`).send(upgrade).expect(200);
    expect(again.headers['tickets-moved']).toBe('0');
    const named = await stack.http.patch(`/v1/customers/${customer}`).send({ name: 'Renamed' }).expect(200);
    expect(named.headers['tickets-moved']).toBe('0');
  });

  it('a subscription upgrade (002 Standard → Premium Plus) moves the open ticket it covers', async () => {
    const customer = await stack.customer({ vendorId: 'emetrotel', systems: [{ id: 's', type: 'UCX250', hostId: 'H', release: '6.0' }] });
    const subId = uid('sub');
    await stack.http
      .post('/v1/subscriptions')
      .send({ id: subId, customerId: customer, contactEmail: 'it@acme.test', planId: 'assurance-standard', timeZone: 'America/Chicago' })
      .expect(201);
    await waitFor(async () => (await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, subId)))[0]);
    const fields = { callScenario: 'Calls drop after thirty seconds' };
    const opened = await open({ customerId: customer, requesterEmail: 'a@acme.test', systemId: 's', fields }).expect(201);
    expect(opened.body).toMatchObject({ policyId: 'emetrotel-standard', coveredBy: { kind: 'subscription', id: subId } });
    const openedAt = Date.parse(opened.body.openedAt);
    await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, opened.body.id)))[0]);

    const upgradedAt = Date.now();
    await stack.http.post(`/v1/subscriptions/${subId}/upgrade`).send({ tier: 'premium-plus' }).expect(200);
    const row = await waitFor(async () => {
      const [r] = await stack.db.db.select().from(tickets).where(eq(tickets.id, opened.body.id));
      return r?.policyId === 'emetrotel-premium-plus' ? r : undefined;
    });
    // Two wall-clock hours, less the Standard business time already used (none outside its hours).
    const due = Date.parse(row.deadlines.first_response!);
    expect(due).toBeGreaterThanOrEqual(openedAt + 2 * HOUR);
    expect(due).toBeLessThanOrEqual(Date.now() + 2 * HOUR);
    expect(due).toBeGreaterThan(upgradedAt + 2 * HOUR - (upgradedAt - openedAt) - 1);
    expect(row.coveredBy).toEqual({ kind: 'subscription', id: subId });
  });

  it('a lapse leaves an open ticket on the terms it was opened under', async () => {
    const customer = await stack.customer({ contracts: [{ id: 'gold', policyId: 'gold-10m', validFrom: since }] });
    const opened = await open({ customerId: customer, requesterEmail: 'a@acme.test' }).expect(201);
    await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, opened.body.id)))[0]);
    const lapse = { contracts: [{ id: 'gold', policyId: 'gold-10m', validFrom: since, validTo: new Date().toISOString() }] };
    const res = await stack.http.patch(`/v1/customers/${customer}`).send(lapse).expect(200);
    expect(res.headers['tickets-moved']).toBe('0');
    const view = await stack.http.get(`/v1/tickets/${opened.body.id}`).expect(200);
    expect(view.body).toMatchObject({ policyId: 'gold-10m', deadlines: { first_response: opened.body.deadlines.first_response } });
  });
});
