import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charges, entitlements, subscriptions, tickets } from '../../src/db/schema';
import { temporalEntitlementGateway } from '../../src/subscriptions/entitlement-gateway';
import { subscriptionWorkflowId } from '../../workflows/subscription/contract';
import { authed, startStack, testApp, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('subscriptions API on the real dev server, PostgreSQL and SMTP', () => {
  it('creates (201 with term end and reminders), renews once, refuses the second renewal with 409 and its reason', async () => {
    const id = `S-${randomUUID().slice(0, 8)}`;
    const start = DateTime.now().setZone('America/Chicago').minus({ days: 30 }).startOf('hour');
    const [termEnd, renewedEnd] = [start.plus({ years: 1 }), start.plus({ years: 2 })];
    const created = await stack.http
      .post('/v1/subscriptions')
      .send({
        id,
        customerId: 'acme',
        contactEmail: 'billing@acme.test',
        planId: 'assurance-premium',
        timeZone: 'America/Chicago',
        startAt: start.toISO(),
      })
      .expect(201);
    expect(created.headers.location).toBe(`/v1/subscriptions/${id}`);
    expect(created.body).toMatchObject({
      id,
      customerId: 'acme',
      tier: 'premium',
      termStart: start.toUTC().toISO(),
      termEnd: termEnd.toUTC().toISO(),
    });
    expect(created.body.reminders.map((r: { offsetDays: number }) => r.offsetDays)).toEqual([60, 30, 7]);
    expect(created.body.nextTimers[0].summary).toMatch(/^renewal reminder \(60 days\) due /);
    await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}]`) && m.to.includes('billing@acme.test'));

    const firstRun = (await stack.client.workflow.getHandle(subscriptionWorkflowId(id)).describe()).runId;
    const renewed = await stack.http.post(`/v1/subscriptions/${id}/renew`).send({}).expect(200);
    expect(renewed.body.subscription.termEnd).toBe(renewedEnd.toUTC().toISO());
    expect(renewed.body.invoices[0]).toMatchObject({ currency: 'USD', totalMinor: 89_900 });

    const again = await stack.http.post(`/v1/subscriptions/${id}/renew`).send({}).expect(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({
      status: 409,
      code: 'already_renewed',
      detail: `already renewed through ${renewedEnd.toISODate()}; the next renewal opens on ${termEnd.toISODate()}`,
    });

    const got = await stack.http.get(`/v1/subscriptions/${id}`).expect(200);
    expect(got.body).toMatchObject({ id, status: 'active', termEnd: renewedEnd.toUTC().toISO() });
    const [row] = await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, id));
    expect(row?.termEnd.getTime()).toBe(renewedEnd.toMillis());
    const rows = await stack.db.db.select().from(charges).where(eq(charges.subscriptionId, id));
    expect(rows.map((c) => c.amountMinor).sort()).toEqual([89_900, 89_900]);

    // The renewal moved the term end, so the workflow continued as new; the attributes came along.
    const attrs = await waitFor(async () => {
      const d = await stack.client.workflow.getHandle(subscriptionWorkflowId(id)).describe();
      return d.runId !== firstRun ? d.searchAttributes : undefined;
    });
    expect(attrs).toMatchObject({ CustomerId: ['acme'], SupportTier: ['premium'], SubscriptionStatus: ['active'] });
  });

  it('replays a retried operation with the same Idempotency-Key instead of charging twice', async () => {
    const id = `S-${randomUUID().slice(0, 8)}`;
    await stack.http
      .post('/v1/subscriptions')
      .send({ id, customerId: 'globex', contactEmail: 'it@globex.test', planId: 'per-user-support', seats: 10, timeZone: 'Europe/Berlin' })
      .expect(201);
    const first = await stack.http.post(`/v1/subscriptions/${id}/seats`).set('Idempotency-Key', 'k1').send({ add: 2 }).expect(200);
    const retry = await stack.http.post(`/v1/subscriptions/${id}/seats`).set('Idempotency-Key', 'k1').send({ add: 2 }).expect(200);
    expect(first.body.subscription.seats).toBe(12);
    expect(retry.body.subscription.seats).toBe(12);
    const rows = await stack.db.db.select().from(charges).where(eq(charges.subscriptionId, id));
    expect(rows.filter((c) => c.kind === 'seat-proration')).toHaveLength(1);
  });

  it('answers 422 for bad bodies and unknown plans, 404 for unknown subscriptions, 409 for refused operations', async () => {
    const bad = await stack.http
      .post('/v1/subscriptions')
      .send({ customerId: '', planId: 'x', timeZone: 'UTC', contactEmail: 'nope', extra: 1 })
      .expect(422);
    expect(bad.body.code).toBe('validation_failed');
    const unknown = await stack.http
      .post('/v1/subscriptions')
      .send({ customerId: 'a', planId: 'gold', timeZone: 'UTC', contactEmail: 'a@a.test' })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_plan', detail: 'plan gold does not exist' });
    await stack.http.get('/v1/subscriptions/nope-404').expect(404);
    await stack.http.post('/v1/subscriptions/nope-404/renew').send({}).expect(404);

    const id = `S-${randomUUID().slice(0, 8)}`;
    await stack.http
      .post('/v1/subscriptions')
      .send({ id, customerId: 'initech', contactEmail: 'x@initech.test', planId: 'assurance-standard', timeZone: 'UTC' })
      .expect(201);
    const down = await stack.http.post(`/v1/subscriptions/${id}/upgrade`).send({ tier: 'standard' }).expect(409);
    expect(down.body).toMatchObject({ code: 'same_tier' });
    const noHw = await stack.http.post(`/v1/subscriptions/${id}/warranty-extension`).send({}).expect(409);
    expect(noHw.body).toMatchObject({ code: 'no_warranty', detail: 'this subscription has no hardware under warranty' });
    await stack.http
      .post('/v1/subscriptions')
      .send({ id, customerId: 'initech', contactEmail: 'x@initech.test', planId: 'assurance-standard', timeZone: 'UTC' })
      .expect(409);
  });
});

describe('004: "Phone support may be limited to 5 incidents per year", through POST /v1/tickets', () => {
  it('refuses the sixth phone ticket with incident_cap_reached and advice that holds; email and the hourly path still open', async () => {
    const customerId = await stack.customer({ vendorId: 'per-user', policies: [] });
    const id = `S-${randomUUID().slice(0, 8)}`;
    await stack.http
      .post('/v1/subscriptions')
      .send({ id, customerId, contactEmail: 'billing@acme.test', planId: 'per-user-support', seats: 1, timeZone: 'America/Chicago' })
      .expect(201);
    await waitFor(async () => (await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, id)))[0]);
    const open = (channel: 'phone' | 'email', policyId?: string) =>
      stack.http
        .post('/v1/tickets')
        .send({ customerId, requesterEmail: 'desk@acme.test', subject: 'Handset', description: 'No dial tone', channel, policyId });

    for (let i = 0; i < 5; i += 1) {
      const res = await open('phone').expect(201);
      expect(res.body).toMatchObject({ policyId: 'per-user-support', coveredBy: { kind: 'subscription', id } });
    }
    const sixth = await open('phone').expect(409);
    expect(sixth.body).toMatchObject({ code: 'incident_cap_reached', errors: [{ path: 'body.channel' }] });
    expect(sixth.body.detail).toMatch(/^Phone support is limited to 5 incidents per subscription year; 5 used since /);
    expect(sixth.body.detail).toContain('email');
    expect(sixth.body.detail).toContain('per-user-hourly');
    expect(sixth.body.detail).not.toContain('Without an active Support Subscription');

    // The refusal counted nothing, and the advice holds: email is covered, the hourly path opens.
    const email = await open('email').expect(201);
    expect(email.body).toMatchObject({ policyId: 'per-user-support', coveredBy: { kind: 'subscription', id } });
    const hourly = await open('phone', 'per-user-hourly').expect(201);
    expect(hourly.body).toMatchObject({ policyId: 'per-user-hourly', coveredBy: { kind: 'paid' } });
    const got = await stack.http.get(`/v1/subscriptions/${id}`).expect(200);
    expect(got.body.incidents.find((i: { channel: string }) => i.channel === 'phone')).toMatchObject({ count: 5 });
    const rows = await waitFor(async () => {
      const r = await stack.db.db.select().from(tickets).where(eq(tickets.customerId, customerId));
      return r.length >= 7 ? r : undefined;
    });
    expect(rows).toHaveLength(7);
  });

  it('gives back the incident of a ticket whose workflow never started; a retry without an Idempotency-Key counts it once', async () => {
    const customerId = await stack.customer({ vendorId: 'per-user', policies: [] });
    const id = `S-${randomUUID().slice(0, 8)}`;
    await stack.http
      .post('/v1/subscriptions')
      .send({ id, customerId, contactEmail: 'billing@acme.test', planId: 'per-user-support', seats: 1, timeZone: 'America/Chicago' })
      .expect(201);
    const [period] = await waitFor(async () => {
      const r = await stack.db.db.select().from(entitlements).where(eq(entitlements.subscriptionId, id));
      return r.length ? r : undefined;
    });
    // The period records the policy it grants, the one its tickets open on.
    expect(period?.policyId).toBe('per-user-support');
    const phoneUsed = async () =>
      (await stack.http.get(`/v1/subscriptions/${id}`).expect(200)).body.incidents.find((i: { channel: string }) => i.channel === 'phone')
        ?.count ?? 0;
    const ticket = { customerId, requesterEmail: 'desk@acme.test', subject: 'Handset', description: 'No dial tone', channel: 'phone' };

    // The claim reaches the subscription; the start cannot reach Temporal (its client dials a closed port).
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const claimsOnly = testApp(stack, {
      client: unreachable,
      temporalTimeoutMs: 500,
      entitlements: temporalEntitlementGateway({ client: stack.client, db: stack.db.db }),
    });
    const failed = await authed(claimsOnly, await stack.key('admin'))
      .post('/v1/tickets')
      .send(ticket)
      .expect(503);
    expect(failed.body).toMatchObject({ code: 'dependency_unavailable' });
    expect(await phoneUsed()).toBe(0);

    const opened = await stack.http.post('/v1/tickets').send(ticket).expect(201);
    expect(opened.body).toMatchObject({ policyId: 'per-user-support', coveredBy: { kind: 'subscription', id } });
    expect(await phoneUsed()).toBe(1);
  });
});

describe('002: the hardware warranty a subscription sold covers its system, through POST /v1/tickets', () => {
  it('opens a warranty ticket in year 1, refuses it after the warranty ends, and opens it in year 2 after an extension', async () => {
    const zone = 'America/Chicago';
    // The system's own record has no warranty end: only the subscription's sale can cover it.
    const customerId = await stack.customer({
      vendorId: 'emetrotel',
      systems: [{ id: 'ucx-1', type: 'UCX250', hostId: 'H-1', release: '6.0' }],
    });
    const purchasedAt = DateTime.now().setZone(zone).minus({ days: 300 }).startOf('hour');
    const id = `S-${randomUUID().slice(0, 8)}`;
    const sale = (systemId: string) => ({
      id,
      customerId,
      contactEmail: 'it@acme.test',
      planId: 'assurance-standard',
      timeZone: zone,
      hardware: { productId: 'ucx250', purchasedAt: purchasedAt.toUTC().toISO(), systemId },
    });
    const elsewhere = await stack.http.post('/v1/subscriptions').send(sale('ucx-9')).expect(422);
    expect(elsewhere.body).toMatchObject({ code: 'unknown_system', errors: [{ path: 'body.hardware.systemId' }] });
    const sold = await stack.http.post('/v1/subscriptions').send(sale('ucx-1')).expect(201);
    // Staff see which system the warranty covers, and until when.
    expect(sold.body.warranty).toMatchObject({ productId: 'ucx250', systemId: 'ucx-1', start: purchasedAt.toUTC().toISO(), extensions: 0 });
    expect(sold.body.warranty.end).toBe(sold.body.warrantyEnd);
    await waitFor(async () => (await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, id)))[0]);

    const ticket = {
      customerId,
      requesterEmail: 'a@acme.test',
      subject: 'Power supply',
      description: 'The UCX does not boot.',
      service: 'hardware_warranty',
      systemId: 'ucx-1',
      fields: { callScenario: 'Power supply fails at boot' },
    };
    // An API whose clock the test moves through the warranty's life; it keeps coverage until the feed drops it.
    let apiNow = 0;
    const later = authed(testApp(stack, { changes: stack.changes, cacheTtlMs: 60_000, now: () => apiNow }), await stack.key('admin'));
    const openAt = (at: DateTime) => {
      apiNow = at.toMillis();
      return later.post('/v1/tickets').send(ticket);
    };
    const covered = { policyId: 'emetrotel-hardware-warranty', coveredBy: { kind: 'warranty', id: 'ucx-1' } };

    expect((await stack.http.post('/v1/tickets').send(ticket).expect(201)).body).toMatchObject(covered);
    const yearTwo = purchasedAt.plus({ years: 1, days: 30 });
    const ended = await openAt(yearTwo).expect(409);
    expect(ended.body.code).toBe('not_under_warranty');
    expect(ended.body.detail).toContain(`ended on ${purchasedAt.plus({ years: 1 }).toUTC().toISODate()}`);

    // "purchasing an extended warranty within the year of active Hardware Warranty service"
    const extended = await stack.http.post(`/v1/subscriptions/${id}/warranty-extension`).send({}).expect(200);
    expect(extended.body.subscription.warrantyEnd).toBe(purchasedAt.plus({ years: 2 }).toUTC().toISO());
    const inYearTwo = await waitFor(async () => {
      const res = await openAt(yearTwo);
      return res.status === 201 ? res : undefined;
    }, 5_000);
    expect(inYearTwo.body).toMatchObject(covered);
    expect((await openAt(purchasedAt.plus({ years: 2, days: 1 })).expect(409)).body.code).toBe('not_under_warranty');
  });
});
