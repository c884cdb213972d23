import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { charges, entitlements, invoices, subscriptions, ticketEvents, tickets, ticketTimeEntries } from '../../src/db/schema';
import { dbCatalogStore, presetCatalogStore } from '../../src/catalog/catalog-store';
import { presetCatalog } from '../../src/domain/catalog/index';
import { createTicketActivities } from '../../activities/ticket-activities';
import { authed, startStack, testApp, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * Issue 14: what the seeds sell is charged from the catalog, once, and can be changed by an admin
 * without touching a term already sold.
 */
let stack: Stack;
const run = randomUUID().slice(0, 6);

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const fields = { product: 'SmarterMail', productVersion: '100.0.9000' };
const ticketCharges = (ticketId: string) =>
  stack.db.db.select().from(charges).where(eq(charges.ticketId, ticketId)).orderBy(asc(charges.at), asc(charges.key));
const subscriptionCharges = (id: string) =>
  stack.db.db.select().from(charges).where(eq(charges.subscriptionId, id)).orderBy(asc(charges.at), asc(charges.key));
const rowOf = (id: string) => waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, id)))[0]);

describe('000: the emergency ticket is a sale', () => {
  const buy = (customerId: string, paymentReference?: string) =>
    stack.http.post('/v1/tickets').send({
      customerId,
      requesterEmail: 'ops@acme.test',
      subject: 'All mailboxes down',
      policyId: 'smartertools-emergency',
      ...(paymentReference ? { paymentReference } : {}),
      fields,
    });

  it('records one $349 charge however often the purchase is retried, and refunds it once on a downgrade', async () => {
    const customer = await stack.customer({ vendorId: 'smartertools' });
    const ref = `pi_${run}_1`;
    const first = await buy(customer, ref).expect(201);
    const id: string = first.body.id;
    expect(first.body.purchase).toMatchObject({ amountMinor: 34_900, currency: 'USD', paymentReference: ref });
    // Retried one after another and at the same moment: the same ticket every time.
    const again = await buy(customer, ref).expect(201);
    const burst = await Promise.all([buy(customer, ref), buy(customer, ref), buy(customer, ref)]);
    for (const r of [again, ...burst]) expect(r.body.id).toBe(id);

    const sale = await waitFor(async () => (await ticketCharges(id))[0]);
    expect(await ticketCharges(id)).toHaveLength(1);
    expect(sale).toMatchObject({
      kind: 'ticket-purchase',
      amountMinor: 34_900,
      currency: 'USD',
      paymentReference: ref,
      customerId: customer,
      subscriptionId: null,
    });
    expect(sale.catalogVersion).toBeGreaterThanOrEqual(1);

    // The same payment cannot pay for another customer's ticket.
    const other = await stack.customer({ vendorId: 'smartertools' });
    expect((await buy(other, ref).expect(409)).body.code).toBe('payment_reference_used');

    await stack.http.post(`/v1/tickets/${id}/downgrade`).send({ agent: 'oncall', reason: 'a licensing question' }).expect(200);
    const refund = await waitFor(async () => (await ticketCharges(id)).find((c) => c.kind === 'ticket-refund'));
    expect(refund).toMatchObject({ amountMinor: -34_900, refersTo: sale.key, paymentReference: ref });
    await stack.http.post(`/v1/tickets/${id}/downgrade`).send({ agent: 'oncall', reason: 'again' }).expect(409);
    const [mail] = await stack.mail.waitFor((m) => m.subject === `[${id}] Emergency fee refunded`);
    expect(mail?.text).toContain('$349.00');
    expect(mail?.text).toContain(ref);
    const lines = await ticketCharges(id);
    expect(lines.map((l) => l.kind)).toEqual(['ticket-purchase', 'ticket-refund']);
    expect(lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(0);
  });

  it('the catalog’s refundOnDowngrade decides: refundable, the refund is what was charged; not, no refund line and no promise of one', async () => {
    const admin = await stack.key('admin');
    // An API selling on terms of its own (the shared catalog stays as other tests expect it).
    const sellingOn = (priceMinor: number, refundOnDowngrade: boolean) => {
      const product = { ...presetCatalog.ticketProducts['smartertools-emergency']!, priceMinor, refundOnDowngrade };
      const catalog = presetCatalogStore({ ...presetCatalog, ticketProducts: { 'smartertools-emergency': product } });
      return authed(testApp(stack, { catalog }), admin);
    };
    const refundEvents = (id: string) =>
      stack.db.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, 'refund')));
    const downgraded = async (priceMinor: number, refundOnDowngrade: boolean) => {
      const customer = await stack.customer({ vendorId: 'smartertools' });
      const ref = `pi_${run}_${priceMinor}_${refundOnDowngrade}`;
      const opened = await sellingOn(priceMinor, refundOnDowngrade)
        .post('/v1/tickets')
        .send({
          customerId: customer,
          requesterEmail: 'ops@acme.test',
          subject: 'Licence question',
          policyId: 'smartertools-emergency',
          paymentReference: ref,
          fields,
        })
        .expect(201);
      const id: string = opened.body.id;
      const sale = await waitFor(async () => (await ticketCharges(id))[0]);
      expect(sale).toMatchObject({ kind: 'ticket-purchase', amountMinor: priceMinor });
      const down = await stack.http
        .post(`/v1/tickets/${id}/downgrade`)
        .send({ agent: 'oncall', reason: 'a licensing question' })
        .expect(200);
      expect(down.body).toMatchObject({ emergency: 'downgraded', policyId: 'smartertools-standard' });
      // The refund (if any) is recorded before the mail is committed: once the mail is here, so is the refund.
      const [mail] = await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}] `) && /refunded|standard support/.test(m.subject));
      return { id, ref, sale, mail: mail! };
    };

    // Refundable, at a price that is not the policy's $349: the event and the line give back the charge.
    const refundable = await downgraded(29_900, true);
    expect(refundable.mail.subject).toBe(`[${refundable.id}] Emergency fee refunded`);
    expect(refundable.mail.text).toContain(
      `the $299.00 you paid for Emergency 24x7 Support ticket (payment ${refundable.ref}) is refunded`,
    );
    expect((await refundEvents(refundable.id)).map((e) => e.data)).toEqual([{ amountMinor: 29_900, currency: 'USD' }]);
    const lines = await waitFor(async () => ((await ticketCharges(refundable.id)).length === 2 ? ticketCharges(refundable.id) : undefined));
    expect(lines.map((l) => [l.kind, l.amountMinor, l.refersTo])).toEqual([
      ['ticket-purchase', 29_900, null],
      ['ticket-refund', -29_900, refundable.sale.key],
    ]);

    // Sold non-refundable: nothing refunded, and the mail says it stays paid rather than refunded.
    const kept = await downgraded(34_900, false);
    expect(kept.mail.subject).toBe(`[${kept.id}] Continued as standard support`);
    expect(kept.mail.text).not.toMatch(/refunded/);
    expect(kept.mail.text).toContain('is not refundable');
    expect(await refundEvents(kept.id)).toEqual([]);
    expect((await ticketCharges(kept.id)).map((l) => [l.kind, l.amountMinor])).toEqual([['ticket-purchase', 34_900]]);
    // A refund event from a workflow that decided before the flag was read (its replay path) charges nothing either.
    const late = {
      ticketId: kept.id,
      eventKey: 'downgrade:old:refund',
      kind: 'refund',
      at: Date.now(),
      data: { amountMinor: 34_900, currency: 'USD' },
    };
    await createTicketActivities({ db: stack.db.db }).recordTicketEvent(late);
    expect((await ticketCharges(kept.id)).map((l) => l.kind)).toEqual(['ticket-purchase']);
  });

  it('a payment used again after its ticket closed gets that ticket back, not a second run of it', async () => {
    const customer = await stack.customer({ vendorId: 'smartertools' });
    const ref = `pi_${run}_closed`;
    const id: string = (await buy(customer, ref).expect(201)).body.id;
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'oncall', message: 'Restarted the service.' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'oncall', resolution: 'solution' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/close`).send({ agent: 'oncall' }).expect(200);
    const handle = stack.client.workflow.getHandle(`ticket-${id}`);
    await waitFor(async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined));

    expect((await buy(customer, ref).expect(201)).body.id).toBe(id);
    const runs: string[] = [];
    for await (const w of stack.client.workflow.list({ query: `WorkflowId = 'ticket-${id}'` })) runs.push(w.status.name);
    expect(runs).toEqual(['COMPLETED']);
    expect((await stack.http.get(`/v1/tickets/${id}`).expect(200)).body.status).toBe('closed');
    expect((await ticketCharges(id)).map((c) => c.kind)).toEqual(['ticket-purchase']);
  });

  it('a mitigated emergency keeps its charge (non-refundable); without a payment reference nothing is opened', async () => {
    const customer = await stack.customer({ vendorId: 'smartertools' });
    const refused = await buy(customer).expect(422);
    expect(refused.body).toMatchObject({ code: 'payment_reference_required', errors: [{ path: 'body.paymentReference' }] });
    expect(await stack.db.db.select().from(tickets).where(eq(tickets.customerId, customer))).toHaveLength(0);

    const res = await buy(customer, `pi_${run}_2`).expect(201);
    const id: string = res.body.id;
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'oncall', message: 'On it' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/mitigate`).send({ agent: 'oncall' }).expect(200);
    await rowOf(id);
    await waitFor(async () => ((await ticketCharges(id)).length ? true : undefined));
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'oncall', resolution: 'solution' }).expect(200);
    await waitFor(async () => ((await rowOf(id)).status === 'resolved' ? true : undefined));
    expect((await ticketCharges(id)).map((c) => [c.kind, c.amountMinor])).toEqual([['ticket-purchase', 34_900]]);
  });
});

describe('004: without a subscription every request is billed hourly', () => {
  const openFor = (customerId: string) =>
    stack.http
      .post('/v1/tickets')
      .send({ customerId, requesterEmail: 'desk@acme.test', subject: 'Voicemail greeting', description: 'Please change it' });
  const logTime = (id: string, minutes: number, note: string) =>
    stack.http.post(`/v1/tickets/${id}/time`).send({ agent: 'Ana', minutes, note }).expect(201);

  it('invoices the recorded time at the catalog rate when resolved, and only the time after a reopen next time', async () => {
    const customer = await stack.customer({ vendorId: 'per-user', policies: [] });
    const res = await openFor(customer).expect(201);
    const id: string = res.body.id;
    expect(res.body.policyId).toBe('per-user-hourly');
    await rowOf(id);
    await logTime(id, 20, 'diagnosed');
    await logTime(id, 25, 'recorded the greeting');
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'Ana', message: 'Done' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);

    // USD 150.00 an hour in started 15-minute blocks: 45 minutes is USD 112.50.
    const line = await waitFor(async () => (await ticketCharges(id))[0]);
    expect(line).toMatchObject({ kind: 'support-hours', amountMinor: 11_250, quantity: 45, currency: 'USD', customerId: customer });
    const [invoice] = await stack.db.db
      .select()
      .from(invoices)
      .where(eq(invoices.key, line.invoiceKey ?? ''));
    expect(invoice).toMatchObject({ ticketId: id, totalMinor: 11_250 });
    const sheet = await stack.http.get(`/v1/tickets/${id}/time`).expect(200);
    expect(sheet.body).toMatchObject({ totalMinutes: 45, unbilledMinutes: 0 });
    expect(sheet.body.items.map((i: { billedInvoiceKey: string }) => i.billedInvoiceKey)).toEqual([line.invoiceKey, line.invoiceKey]);

    // Reopened and resolved again: 10 more minutes, billed at the 30-minute minimum (USD 75.00).
    await stack.http.post(`/v1/tickets/${id}/reopen`).send({ agent: 'Ana' }).expect(200);
    await logTime(id, 10, 'second greeting');
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);
    await waitFor(async () => ((await ticketCharges(id)).length === 2 ? true : undefined));
    expect((await ticketCharges(id)).map((c) => c.amountMinor)).toEqual([11_250, 7_500]);

    const customerKey = authed(stack.app, await stack.key('customer', customer));
    expect((await customerKey.get(`/v1/tickets/${id}/time`).expect(200)).body.totalMinutes).toBe(55);
    expect((await customerKey.post(`/v1/tickets/${id}/time`).send({ agent: 'me', minutes: 5 })).status).toBe(403);
  });

  it('a covered ticket records time and bills nothing', async () => {
    const customer = await stack.customer({ vendorId: 'per-user', policies: ['per-user-support'] });
    const res = await openFor(customer).expect(201);
    const id: string = res.body.id;
    expect(res.body.policyId).toBe('per-user-support');
    await rowOf(id);
    await logTime(id, 40, 'covered work');
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'Ana', message: 'Done' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);
    await waitFor(async () => ((await rowOf(id)).status === 'resolved' ? true : undefined));
    expect(await ticketCharges(id)).toEqual([]);
    const [entry] = await stack.db.db.select().from(ticketTimeEntries).where(eq(ticketTimeEntries.ticketId, id));
    expect(entry).toMatchObject({ minutes: 40, billedInvoiceKey: null });
  });

  it('time on an unknown ticket is a 404, and minutes must be positive', async () => {
    expect((await stack.http.post('/v1/tickets/T-NOPE0000/time').send({ agent: 'x', minutes: 5 })).status).toBe(404);
    const customer = await stack.customer({ vendorId: 'per-user', policies: [] });
    const id: string = (await openFor(customer).expect(201)).body.id;
    await rowOf(id);
    const bad = await stack.http.post(`/v1/tickets/${id}/time`).send({ agent: 'x', minutes: 0 }).expect(422);
    expect(bad.body.code).toBe('validation_failed');
  });
});

describe('the catalog is versioned data', () => {
  const planId = `cat-${run}`;
  const plan = (pricePerSeat: number) => ({
    name: `Catalog test plan ${run}`,
    family: `cat-family-${run}`,
    tier: 'standard',
    rank: 1,
    calendarId: 'weekday-9-5',
    responseTargetMs: 8 * 3_600_000,
    policyId: 'per-user-support',
    channels: ['phone', 'email'],
    currency: 'USD',
    pricing: { kind: 'per-seat', pricePerSeatPerYearMinor: pricePerSeat, annualBillingDiscountBps: 0 },
    billingCycles: ['annual'],
    incidentCapsPerYear: {},
    reinstatement: { feeMinor: 0, surchargeBps: 0 },
    subscriptionFeatures: [],
    configBackupRetentionDays: 90,
  });
  const subscribe = (customerId: string) =>
    stack.http
      .post('/v1/subscriptions')
      .send({ customerId, contactEmail: 'billing@acme.test', planId, timeZone: 'Europe/Rome', seats: 1, billingCycle: 'annual' });

  it('a changed price applies to new sales and renewals, not to the running term', async () => {
    // An edit that names no base version lands on whatever is current, even when another process (another
    // API replica) published after this one last read the catalog.
    await stack.http.get('/v1/plans').expect(200);
    const elsewhere = await dbCatalogStore(stack.db.db).publish((c) => c, 'another replica', 'concurrent edit');
    const v1 = await stack.http.put(`/v1/plans/${planId}`).send(plan(12_000)).expect(201);
    expect(v1.body.version).toBeGreaterThan(elsewhere === 'conflict' ? 0 : elsewhere.version);
    const listed = await stack.http.get('/v1/plans').expect(200);
    expect(listed.body.catalogVersion).toBeGreaterThanOrEqual(v1.body.version);
    expect(listed.body.items.find((p: { id: string }) => p.id === planId)).toMatchObject({ pricing: { pricePerSeatPerYearMinor: 12_000 } });

    const customer = await stack.customer({ vendorId: 'per-user', policies: [] });
    const first = await subscribe(customer).expect(201);
    const s1: string = first.body.id;
    expect(first.body.catalogVersion).toBeGreaterThanOrEqual(v1.body.version);
    await waitFor(async () => ((await subscriptionCharges(s1)).length ? true : undefined));
    expect((await subscriptionCharges(s1)).map((c) => c.amountMinor)).toEqual([12_000]);

    const v2 = await stack.http
      .put(`/v1/plans/${planId}`)
      .send({ ...plan(24_000), basedOnVersion: v1.body.version })
      .expect((r) => expect([201, 409]).toContain(r.status));
    const published = v2.status === 201 ? v2 : await stack.http.put(`/v1/plans/${planId}`).send(plan(24_000)).expect(201);
    expect(published.body.catalog.plans[planId].pricing.pricePerSeatPerYearMinor).toBe(24_000);
    // A stale edit is refused rather than silently overwriting.
    expect((await stack.http.put(`/v1/plans/${planId}`).send({ ...plan(1), basedOnVersion: v1.body.version })).status).toBe(409);
    // The old version stays readable: what S1 was sold on.
    const old = await stack.http.get(`/v1/plans/${planId}?version=${v1.body.version}`).expect(200);
    expect(old.body.pricing.pricePerSeatPerYearMinor).toBe(12_000);

    // Mid-term: a seat added to S1 is prorated on the price S1 was sold at.
    const seats = await stack.http.post(`/v1/subscriptions/${s1}/seats`).send({ add: 1 }).expect(200);
    const proration = seats.body.invoices[0].totalMinor;
    expect(proration).toBeGreaterThan(11_000);
    expect(proration).toBeLessThanOrEqual(12_000);

    // A new sale takes the new price.
    const second = await subscribe(await stack.customer({ vendorId: 'per-user', policies: [] })).expect(201);
    // Other test files may publish meanwhile (not this plan's price): at least the version published here.
    expect(second.body.catalogVersion).toBeGreaterThanOrEqual(published.body.version);
    await waitFor(async () => ((await subscriptionCharges(second.body.id)).length ? true : undefined));
    expect((await subscriptionCharges(second.body.id)).map((c) => c.amountMinor)).toEqual([24_000]);

    // S1's renewal is a new sale too: two seats at the new price, and S1 now pins the new version.
    const renewed = await stack.http.post(`/v1/subscriptions/${s1}/renew`).send({}).expect(200);
    expect(renewed.body.invoices[0].totalMinor).toBe(48_000);
    expect(renewed.body.subscription.catalogVersion).toBeGreaterThanOrEqual(published.body.version);
  });

  it('004: a subscriber on a published plan is covered by it: the plan’s policy, seats from its devices, no hourly bill', async () => {
    const soldId = `${planId}-sold`;
    await stack.http
      .put(`/v1/plans/${soldId}`)
      .send({ ...plan(6_000), family: `sold-family-${run}` })
      .expect(201);
    const devices = [
      { id: 'd1', kind: 'desk-phone' as const },
      { id: 'd2', kind: 'desk-phone' as const },
      { id: 'vm', kind: 'voicemail-box' as const },
    ];
    const customer = await stack.customer({ vendorId: 'per-user', policies: [], devices });
    const sold = await stack.http
      .post('/v1/subscriptions')
      .send({ customerId: customer, contactEmail: 'billing@acme.test', planId: soldId, timeZone: 'Europe/Rome', billingCycle: 'annual' })
      .expect(201);
    const subscriptionId: string = sold.body.id;
    // 004: "based on the total number of users on your system": two phones, the voicemail box not counted.
    expect(sold.body.seats).toBe(2);
    await waitFor(async () => ((await subscriptionCharges(subscriptionId)).length ? true : undefined));
    expect((await subscriptionCharges(subscriptionId)).map((c) => c.amountMinor)).toEqual([12_000]);
    await waitFor(async () => (await stack.db.db.select().from(entitlements).where(eq(entitlements.subscriptionId, subscriptionId)))[0]);

    const res = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'desk@acme.test', subject: 'Voicemail greeting', description: 'Please change it' })
      .expect(201);
    const id: string = res.body.id;
    expect(res.body).toMatchObject({
      policyId: 'per-user-support',
      tier: 'standard',
      coveredBy: { kind: 'subscription', id: subscriptionId },
    });
    await rowOf(id);
    await stack.http.post(`/v1/tickets/${id}/time`).send({ agent: 'Ana', minutes: 40, note: 'covered work' }).expect(201);
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'Ana', message: 'Done' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);
    await waitFor(async () => ((await rowOf(id)).status === 'resolved' ? true : undefined));
    expect(await ticketCharges(id)).toEqual([]);
    const [entry] = await stack.db.db.select().from(ticketTimeEntries).where(eq(ticketTimeEntries.ticketId, id));
    expect(entry).toMatchObject({ minutes: 40, billedInvoiceKey: null });
  });

  it('refuses a catalog that points at nothing, and non-admin keys', async () => {
    const bad = await stack.http
      .put(`/v1/plans/${planId}-x`)
      .send({ ...plan(100), policyId: 'no-such-policy' })
      .expect(422);
    expect(bad.body).toMatchObject({ code: 'invalid_catalog', errors: [{ path: `body.plans.${planId}-x.policyId` }] });
    const staff = authed(stack.app, await stack.key('staff'));
    expect((await staff.put(`/v1/plans/${planId}`).send(plan(1))).status).toBe(403);
    expect((await staff.get('/v1/catalog').expect(200)).body.catalog.ticketProducts['smartertools-emergency'].priceMinor).toBeGreaterThan(
      0,
    );
    const customer = authed(stack.app, await stack.key('customer', 'someone'));
    expect((await customer.get('/v1/catalog')).status).toBe(403);
    await customer.get('/v1/plans').expect(200);
  });
});

describe('002: an expired contract gets a quote, and proceeds on a purchase order', () => {
  it('quotes the upgrade, the renewal with its surcharge and the audit hours; the PO renews and opens the ticket', async () => {
    const reseller = `r-${run}-q`;
    const expiredOn = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const customer = await stack.customer({
      vendorId: 'emetrotel',
      resellerId: reseller,
      systems: [{ id: 'ucx-old', type: 'UCX250', hostId: 'H-9', release: '5.1' }],
      contracts: [{ id: 'std-old', policyId: 'emetrotel-standard', validFrom: '2024-01-01T00:00:00Z', validTo: expiredOn }],
    });
    const key = authed(stack.app, await stack.key('reseller', reseller));
    const ask = () =>
      key.post('/v1/tickets').send({
        customerId: customer,
        requesterEmail: 'it@acme.test',
        subject: 'Calls drop',
        systemId: 'ucx-old',
        fields: { callScenario: 'Inbound calls drop after one ring' },
      });
    const refused = await ask().expect(409);
    expect(refused.body.code).toBe('not_entitled');
    const quote = refused.body.quote;
    expect(quote.lines.map((l: { kind: string; amountMinor: number }) => [l.kind, l.amountMinor])).toEqual([
      ['release-upgrade', 39_900],
      ['support-renewal', 49_900],
      ['renewal-surcharge', 9_980],
      ['audit-hours', 25_000],
    ]);
    expect(quote).toMatchObject({ status: 'open', totalMinor: 124_780, currency: 'USD', policyId: 'emetrotel-standard' });
    expect(refused.body.detail).toContain(`/v1/quotes/${quote.id}/accept`);
    // Asking again quotes once.
    expect((await ask().expect(409)).body.quote.id).toBe(quote.id);
    expect(await stack.db.db.select().from(tickets).where(eq(tickets.customerId, customer))).toHaveLength(0);

    const other = authed(stack.app, await stack.key('reseller', `${reseller}-other`));
    expect((await other.post(`/v1/quotes/${quote.id}/accept`).send({ purchaseOrder: 'PO-1' })).status).toBe(404);

    const accepted = await key.post(`/v1/quotes/${quote.id}/accept`).send({ purchaseOrder: 'PO-4711' }).expect(200);
    expect(accepted.body.quote).toMatchObject({ status: 'accepted', purchaseOrder: 'PO-4711' });
    const ticket = accepted.body.ticket;
    expect(ticket).toMatchObject({ policyId: 'emetrotel-standard', coveredBy: { kind: 'contract', id: `quote-${quote.id}` } });
    await rowOf(ticket.id);
    const [invoice] = await stack.db.db
      .select()
      .from(invoices)
      .where(eq(invoices.key, `quote:${quote.id}`));
    expect(invoice).toMatchObject({ customerId: customer, totalMinor: 124_780, purchaseOrder: 'PO-4711' });
    const lines = await stack.db.db
      .select()
      .from(charges)
      .where(eq(charges.invoiceKey, `quote:${quote.id}`));
    expect(lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(124_780);

    // The same purchase order again is the same ticket; another one is refused.
    const again = await key.post(`/v1/quotes/${quote.id}/accept`).send({ purchaseOrder: 'PO-4711' }).expect(200);
    expect(again.body.ticket.id).toBe(ticket.id);
    expect((await key.post(`/v1/quotes/${quote.id}/accept`).send({ purchaseOrder: 'PO-9' }).expect(409)).body.code).toBe('quote_not_open');
    expect(await stack.db.db.select().from(invoices).where(eq(invoices.customerId, customer))).toHaveLength(1);

    // The renewed contract now covers the system: the next ticket opens directly.
    await ask().expect(201);
  });

  it('renews the level that lapsed: an expired Premium Plus contract is quoted and renewed as Premium Plus', async () => {
    const reseller = `r-${run}-qpp`;
    const customer = await stack.customer({
      vendorId: 'emetrotel',
      resellerId: reseller,
      systems: [{ id: 'ucx-pp', type: 'UCX1000', hostId: 'H-77', release: '6.0' }],
      contracts: [
        { id: 'std-first-year', policyId: 'emetrotel-standard', validFrom: '2024-01-01T00:00:00Z', validTo: '2025-01-01T00:00:00Z' },
        {
          id: 'pp-old',
          policyId: 'emetrotel-premium-plus',
          validFrom: '2025-01-01T00:00:00Z',
          validTo: new Date(Date.now() - 86_400_000).toISOString(),
        },
      ],
    });
    const key = authed(stack.app, await stack.key('reseller', reseller));
    const refused = await key
      .post('/v1/tickets')
      .send({
        customerId: customer,
        requesterEmail: 'it@acme.test',
        subject: 'Trunk down',
        systemId: 'ucx-pp',
        fields: { callScenario: 'No outbound calls on the SIP trunk' },
      })
      .expect(409);
    const quote = refused.body.quote;
    // Release 6.0 is current: no upgrade line. Premium Plus at its own price, with the 20 % surcharge.
    expect(quote.lines.map((l: { kind: string; amountMinor: number }) => [l.kind, l.amountMinor])).toEqual([
      ['support-renewal', 129_900],
      ['renewal-surcharge', 25_980],
      ['audit-hours', 25_000],
    ]);
    expect(quote.policyId).toBe('emetrotel-premium-plus');
    const accepted = await key.post(`/v1/quotes/${quote.id}/accept`).send({ purchaseOrder: 'PO-PP' }).expect(200);
    expect(accepted.body.ticket).toMatchObject({
      policyId: 'emetrotel-premium-plus',
      coveredBy: { kind: 'contract', id: `quote-${quote.id}` },
    });
  });
});

describe('004: "third-party licenses … will be deactivated and canceled", and reactivated for a fee', () => {
  const planId = `licensed-${run}`;
  const licenses = [
    { id: 'softphone-app-licenses', name: `Softphone App licenses ${run}`, reactivationFeeMinor: 4_000 },
    { id: 'crm-connector', name: `CRM connector ${run}`, reactivationFeeMinor: 1_500 },
  ];
  const plan = (thirdPartyLicenses: unknown) => ({
    name: `Licensed plan ${run}`,
    family: planId,
    tier: 'standard',
    rank: 1,
    calendarId: 'weekday-9-5',
    responseTargetMs: 8 * 3_600_000,
    policyId: 'per-user-support',
    channels: ['phone', 'email'],
    currency: 'USD',
    pricing: { kind: 'flat', annualPriceMinor: 30_000 },
    billingCycles: ['annual'],
    incidentCapsPerYear: {},
    reinstatement: { feeMinor: 10_000, surchargeBps: 0 },
    subscriptionFeatures: ['softphone-app'],
    configBackupRetentionDays: 90,
    thirdPartyLicenses,
  });
  type License = { id: string; active: boolean; deactivatedAt: string | null };

  it('published with the plan; off in the view, the feature set and the mail at the lapse; charged once and on again at reinstatement', async () => {
    const started = Date.now();
    const twice = await stack.http
      .put(`/v1/plans/${planId}`)
      .send(plan([licenses[0], licenses[0]]))
      .expect(422);
    expect(twice.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.thirdPartyLicenses.1.id' }] });
    await stack.http.get(`/v1/plans/${planId}`).expect(404);
    await stack.http.put(`/v1/plans/${planId}`).send(plan(licenses)).expect(201);
    const openapi = await stack.http.get('/v1/openapi.json').expect(200);
    expect(openapi.body.components.schemas.Plan.properties.thirdPartyLicenses).toBeDefined();

    // Sold a year and ten days ago and never renewed: the workflow lapses it at once.
    const customerId = await stack.customer({ vendorId: 'per-user', policies: [] });
    const startAt = new Date(Date.now() - (365 + 10) * 86_400_000).toISOString();
    const sold = await stack.http
      .post('/v1/subscriptions')
      .send({ customerId, contactEmail: `licenses-${run}@acme.test`, planId, timeZone: 'America/Chicago', startAt })
      .expect(201);
    const id: string = sold.body.id;
    // The row the workflow writes, not its query: the feature set reads the rows.
    await waitFor(async () =>
      (await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, id)))[0]?.status === 'lapsed' ? true : undefined,
    );
    const lapsed = (await stack.http.get(`/v1/subscriptions/${id}`).expect(200)).body;
    expect(lapsed.status).toBe('lapsed');
    expect(lapsed.thirdPartyLicenses.map((l: License) => [l.id, l.active, l.deactivatedAt])).toEqual([
      ['softphone-app-licenses', false, lapsed.termEnd],
      ['crm-connector', false, lapsed.termEnd],
    ]);
    const off = await stack.http.get(`/v1/customers/${customerId}/features`).expect(200);
    expect(off.body.thirdPartyLicenses.map((l: { license: string; enabled: boolean }) => [l.license, l.enabled])).toEqual([
      ['crm-connector', false],
      ['softphone-app-licenses', false],
    ]);
    const [lapseMail] = await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}] Your support subscription expired`));
    expect(lapseMail?.text).toContain(`  - Softphone App licenses ${run}`);
    expect(lapseMail?.text).toContain(`CRM connector ${run} $15.00 on top`);

    // The quote says what the reinstatement will charge, on top of the fee and the backfilled year.
    const quote = await stack.http.get(`/v1/subscriptions/${id}/reinstatement-quote`).expect(200);
    const kinds = ['reinstatement-fee', 'license-reactivation-fee', 'license-reactivation-fee', 'subscription'];
    expect(quote.body.lines.map((l: { kind: string; amountMinor: number }) => [l.kind, l.amountMinor])).toEqual(
      kinds.map((k, i) => [k, [10_000, 4_000, 1_500, 30_000][i]]),
    );
    expect(quote.body).toMatchObject({ currency: 'USD', totalMinor: 45_500, total: '$455.00' });

    // A retried request (same Idempotency-Key) is the same reinstatement: one set of rows.
    const reinstate = () => stack.http.post(`/v1/subscriptions/${id}/reinstate`).set('Idempotency-Key', `lic-${run}`).send({});
    const done = await reinstate().expect(200);
    expect(done.body.invoices[0]).toMatchObject({ totalMinor: 45_500 });
    expect(done.body.invoices[0].lines[1]).toMatchObject({
      kind: 'license-reactivation-fee',
      description: `Third-party license reactivation fee: Softphone App licenses ${run}`,
      amountMinor: 4_000,
    });
    expect(done.body.subscription.thirdPartyLicenses.every((l: License) => l.active && l.deactivatedAt === null)).toBe(true);
    expect((await reinstate().expect(200)).body).toEqual(done.body);
    expect((await stack.http.post(`/v1/subscriptions/${id}/reinstate`).send({}).expect(409)).body.code).toBe('not_lapsed');
    expect((await stack.http.get(`/v1/subscriptions/${id}/reinstatement-quote`).expect(409)).body.code).toBe('not_lapsed');

    const rows = await waitFor(async () => {
      const r = (await subscriptionCharges(id)).filter((c) => c.invoiceKey?.includes(':reinstatement:'));
      return r.length === 4 ? r : undefined;
    });
    expect(rows.filter((c) => c.kind === 'license-reactivation-fee').map((c) => [c.amountMinor, c.currency])).toEqual([
      [4_000, 'USD'],
      [1_500, 'USD'],
    ]);
    const [mail] = await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}] Your support subscription is reinstated`));
    expect(mail?.text).toContain(`These third-party licenses are active again`);
    expect(mail?.text).toContain(`  Third-party license reactivation fee: CRM connector ${run}: $15.00`);
    const on = await waitFor(async () => {
      const res = await stack.http.get(`/v1/customers/${customerId}/features`).expect(200);
      return res.body.thirdPartyLicenses.every((l: { enabled: boolean }) => l.enabled) ? res.body : undefined;
    });
    expect(on.thirdPartyLicenses).toHaveLength(2);
    expect((await stack.http.get(`/v1/subscriptions/${id}`).expect(200)).body.thirdPartyLicenses[0]).toMatchObject({ active: true });
    console.log(`[licenses] lapse and reinstatement through the API in ${Date.now() - started} ms`);
  });
});
