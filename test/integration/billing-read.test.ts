import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charges, subscriptionEvents, subscriptions } from '../../src/db/schema';
import type { Device } from '../../src/domain/subscription';
import { authed, startStack, type Http, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

let stack: Stack;
const run = randomUUID().slice(0, 6);
const resellerA = `bill-res-a-${run}`;
const resellerB = `bill-res-b-${run}`;

/** 004's office: Ann has a desk phone, an extension and the app (one user), Bob a phone, Cy the app, a lobby phone; the mailbox and the menu are no users. */
const office: Device[] = [
  { id: 'd-ann', kind: 'desk-phone', user: 'Ann' },
  { id: 'x101', kind: 'extension', user: 'Ann' },
  { id: 'app-ann', kind: 'app-user', user: 'Ann' },
  { id: 'd-bob', kind: 'desk-phone', user: 'Bob' },
  { id: 'app-cy', kind: 'app-user', user: 'Cy' },
  { id: 'lobby', kind: 'cordless-phone' },
  { id: 'vm-main', kind: 'voicemail-box' },
  { id: 'menu', kind: 'phone-tree' },
];

const perUser = (customerId: string, extra: Record<string, unknown> = {}) => ({
  customerId,
  contactEmail: `billing@${customerId}.test`,
  planId: 'per-user-support',
  timeZone: 'America/Chicago',
  billingCycle: 'annual',
  ...extra,
});

const mailOf = async (id: string, subject: RegExp) =>
  (await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}]`) && subject.test(m.subject)))[0]!;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('004 seats counted from the customer’s devices', () => {
  it('counts users by the seed’s rules, bills them, and refuses typed seats that disagree', async () => {
    const customerId = await stack.customer({ id: `office-${run}`, vendorId: 'per-user', timeZone: 'America/Chicago', devices: office });
    const got = await stack.http.get(`/v1/customers/${customerId}`).expect(200);
    expect(got.body.devices).toHaveLength(8);

    const mismatch = await stack.http
      .post('/v1/subscriptions')
      .send(perUser(customerId, { seats: 6 }))
      .expect(422);
    expect(mismatch.body).toMatchObject({ code: 'seats_mismatch', errors: [{ path: 'body.seats' }] });
    expect(mismatch.body.detail).toContain('has 4 users (8 devices');

    const id = `S-seat-${run}`;
    const created = await stack.http
      .post('/v1/subscriptions')
      .send({ ...perUser(customerId), id })
      .expect(201);
    expect(created.body.seats).toBe(4);
    // The count matching is accepted too.
    await stack.http
      .post('/v1/subscriptions')
      .send({ ...perUser(customerId, { seats: 4 }), id: `S-seat4-${run}` })
      .expect(201);

    const invoices = await waitFor(async () => {
      const res = await stack.http.get(`/v1/subscriptions/${id}/invoices`).expect(200);
      return res.body.items.length ? res.body.items : undefined;
    });
    // 4 users x $60.00 a year, 10 % off for paying the year up front.
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ subscriptionId: id, customerId, currency: 'USD', totalMinor: 21_600, total: '$216.00' });
    expect(invoices[0].lines).toEqual([
      expect.objectContaining({
        kind: 'subscription',
        amountMinor: 21_600,
        currency: 'USD',
        amount: '$216.00',
        quantity: 4,
        period: { start: created.body.termStart, end: created.body.termEnd },
        ticketId: null,
      }),
    ]);
    expect(invoices[0].lines[0].description).toMatch(/^Support Subscription \(per user\) \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/);

    // The welcome mail reads like the vendor's: the users, the amount, the dates, no key/value dump.
    const mail = await mailOf(id, /is active/);
    const termEnd = DateTime.fromISO(created.body.termEnd).setZone('America/Chicago');
    expect(mail.text).toContain('for 4 users runs from');
    expect(mail.text).toContain(`to ${termEnd.setLocale('en-GB').toFormat('d LLLL yyyy')}`);
    expect(mail.text).toContain('Total: $216.00');
    expect(mail.text).not.toMatch(/^\w+: /m);
  });

  it('users added to the system later add prorated seats once; fewer users refund nothing', async () => {
    const customerId = await stack.customer({ id: `grow-${run}`, vendorId: 'per-user', timeZone: 'America/Chicago', devices: office });
    const id = `S-grow-${run}`;
    await stack.http
      .post('/v1/subscriptions')
      .send({ ...perUser(customerId), id })
      .expect(201);
    await waitFor(async () => (await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, id)))[0]);
    const grown: Device[] = [...office, { id: 'd-dee', kind: 'desk-phone', user: 'Dee' }, { id: 'app-eve', kind: 'app-user', user: 'Eve' }];
    const patch = (devices: Device[]) => stack.http.patch(`/v1/customers/${customerId}`).send({ devices }).expect(200);
    // "Addition of new users will be prorated": Dee and Eve are two more users than the 4 seats sold.
    expect((await patch(grown)).headers['seats-added']).toBe('2');
    expect((await stack.http.get(`/v1/subscriptions/${id}`).expect(200)).body.seats).toBe(6);
    const lines = await waitFor(async () => {
      const res = await stack.http.get(`/v1/subscriptions/${id}/invoices`).expect(200);
      const all = res.body.items.flatMap((i: { lines: Array<{ kind: string; quantity: number | null }> }) => i.lines);
      return all.some((l: { kind: string }) => l.kind === 'seat-proration') ? all : undefined;
    });
    expect(lines.filter((l: { kind: string }) => l.kind === 'seat-proration').map((l: { quantity: number | null }) => l.quantity)).toEqual([
      2,
    ]);
    // The same list again adds nothing; a shorter one refunds nothing ("non-refundable for any reason").
    expect((await patch(grown)).headers['seats-added']).toBe('0');
    expect((await patch(office.filter((d) => d.user !== 'Bob'))).headers['seats-added']).toBe('0');
    expect((await stack.http.get(`/v1/subscriptions/${id}`).expect(200)).body.seats).toBe(6);
  });

  it('answers 422 when there is nothing to count, and keeps typed seats for a customer without devices', async () => {
    const bare = await stack.customer({ id: `bare-${run}`, vendorId: 'per-user' });
    const none = await stack.http.post('/v1/subscriptions').send(perUser(bare)).expect(422);
    expect(none.body).toMatchObject({ code: 'no_devices', errors: [{ path: 'body.seats' }] });
    const unknown = await stack.http
      .post('/v1/subscriptions')
      .send(perUser(`nobody-${run}`))
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_customer' });
    const typed = await stack.http
      .post('/v1/subscriptions')
      .send(perUser(bare, { seats: 7 }))
      .expect(201);
    expect(typed.body.seats).toBe(7);
    // Only users make a count: a system of mailboxes and menus has none.
    const menus = await stack.customer({
      id: `menus-${run}`,
      vendorId: 'per-user',
      devices: [
        { id: 'vm', kind: 'voicemail-box' },
        { id: 'x9', kind: 'extension', canCall: false },
      ],
    });
    expect((await stack.http.post('/v1/subscriptions').send(perUser(menus)).expect(422)).body.code).toBe('no_devices');
    const dup = await stack.http
      .patch(`/v1/customers/${menus}`)
      .send({
        devices: [
          { id: 'a', kind: 'app-user' },
          { id: 'a', kind: 'desk-phone' },
        ],
      })
      .expect(422);
    expect(dup.body).toMatchObject({ code: 'invalid_account', errors: [{ path: 'body.devices.1.id' }] });
  });

  it('starts the service period at the invoice date or the payment, whichever is earliest', async () => {
    const customerId = await stack.customer({ id: `dates-${run}`, vendorId: 'per-user', devices: office });
    const invoiceDate = DateTime.utc().minus({ days: 3 }).startOf('second');
    const paidAt = invoiceDate.minus({ days: 2 });
    const paidFirst = await stack.http
      .post('/v1/subscriptions')
      .send(perUser(customerId, { invoiceDate: invoiceDate.toISO(), paymentReceivedAt: paidAt.toISO() }))
      .expect(201);
    expect(paidFirst.body.termStart).toBe(paidAt.toISO());
    const invoicedFirst = await stack.http
      .post('/v1/subscriptions')
      .send(perUser(customerId, { invoiceDate: paidAt.toISO(), paymentReceivedAt: invoiceDate.toISO() }))
      .expect(201);
    expect(invoicedFirst.body.termStart).toBe(paidAt.toISO());
    const onlyInvoice = await stack.http
      .post('/v1/subscriptions')
      .send(perUser(customerId, { invoiceDate: invoiceDate.toISO() }))
      .expect(201);
    expect(onlyInvoice.body.termStart).toBe(invoiceDate.toISO());
    const both = await stack.http
      .post('/v1/subscriptions')
      .send(perUser(customerId, { startAt: paidAt.toISO(), invoiceDate: invoiceDate.toISO() }))
      .expect(422);
    expect(both.body).toMatchObject({ code: 'invalid_input', errors: [{ path: 'body.startAt' }] });
  });
});

describe('the customer’s feature set', () => {
  it('is on while the subscription runs, off at the lapse instant, on again at reinstatement; polled with an ETag', async () => {
    const customerId = await stack.customer({ id: `feat-${run}`, vendorId: 'per-user', devices: office, resellerId: resellerA });
    const id = `S-feat-${run}`;
    // A term that ends a few seconds from now: started a year ago, less 6 s.
    const start = DateTime.utc().minus({ years: 1 }).plus({ seconds: 6 }).startOf('second');
    const created = await stack.http
      .post('/v1/subscriptions')
      .send({ ...perUser(customerId), id, timeZone: 'UTC', startAt: start.toISO() })
      .expect(201);
    const termEnd = created.body.termEnd as string;

    const on = await waitFor(async () => {
      const res = await stack.http.get(`/v1/customers/${customerId}/features`).expect(200);
      return res.body.features.length ? res : undefined;
    });
    expect(on.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(on.body.features.map((f: { feature: string }) => f.feature)).toEqual([
      'add-extensions',
      'admin-notifications',
      'config-backup',
      'integrations',
      'off-site-phones',
      'remote-portal',
      'softphone-app',
      'software-updates',
    ]);
    for (const f of on.body.features) {
      expect(f).toMatchObject({
        enabled: true,
        since: start.toISO(),
        grantedBy: [{ subscriptionId: id, planId: 'per-user-support', since: start.toISO(), until: termEnd }],
      });
    }
    expect(on.body.nextChangeAt).toBe(termEnd);
    // A poller that has the current set is answered 304 without a body.
    const same = await stack.http.get(`/v1/customers/${customerId}/features`).set('If-None-Match', String(on.headers.etag)).expect(304);
    expect(same.text).toBe('');
    // Its reseller polls the same set; another reseller cannot see the customer at all.
    const reseller = authed(stack.app, await stack.key('reseller', resellerA));
    await reseller.get(`/v1/customers/${customerId}/features`).expect(200);
    await stack.reseller(resellerB, 'per-user');
    await authed(stack.app, await stack.key('reseller', resellerB))
      .get(`/v1/customers/${customerId}/features`)
      .expect(404);

    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(termEnd) - Date.now() + 200)));
    const off = await stack.http.get(`/v1/customers/${customerId}/features`).set('If-None-Match', String(on.headers.etag)).expect(200);
    expect(off.headers.etag).not.toBe(on.headers.etag);
    expect(off.body.nextChangeAt).toBeNull();
    for (const f of off.body.features) expect(f).toMatchObject({ enabled: false, since: termEnd, grantedBy: [], lastGrantedBy: id });
    // The workflow lapses it too, with the event a provisioning system can subscribe to and the mail.
    await waitFor(async () => {
      const [row] = await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, id));
      return row?.status === 'lapsed' ? row : undefined;
    });
    const [event] = await waitFor(async () => {
      const rows = await stack.db.db.select().from(subscriptionEvents).where(eq(subscriptionEvents.subscriptionId, id));
      const offRows = rows.filter((e) => e.kind === 'features-off');
      return offRows.length ? offRows : undefined;
    });
    // Dated at the expiry, whenever the workflow's timer lands.
    expect(Math.abs((event?.at.getTime() ?? 0) - Date.parse(termEnd))).toBeLessThan(5_000);
    const lapsedMail = await mailOf(id, /expired on/);
    const purgeDay = DateTime.fromISO(termEnd, { zone: 'UTC' }).plus({ days: 90 }).setLocale('en-GB').toFormat('d LLLL yyyy');
    expect(lapsedMail.text).toContain(`Your configuration backups are kept until ${purgeDay}`);
    expect(lapsedMail.text).toContain('the desktop and mobile softphone App');
    expect(lapsedMail.text).toContain('Support Reinstatement Fee of $150.00');
    expect(lapsedMail.text).not.toContain('backupsPurgedOn');

    const before = Date.now();
    await stack.http.post(`/v1/subscriptions/${id}/reinstate`).send({}).expect(200);
    const back = await waitFor(async () => {
      const res = await stack.http.get(`/v1/customers/${customerId}/features`).expect(200);
      return res.body.features.every((f: { enabled: boolean }) => f.enabled) ? res : undefined;
    });
    // A reinstatement starts new coverage: the gap was not covered.
    expect(Date.parse(back.body.features[0].since)).toBeGreaterThanOrEqual(before - 1_000);
    expect(back.body.features[0].grantedBy[0].until).toBe(start.plus({ years: 2 }).toISO());

    const invoices = (await stack.http.get(`/v1/subscriptions/${id}/invoices`).expect(200)).body.items;
    expect(invoices).toHaveLength(2);
    const reinstatement = invoices[1].lines;
    expect(reinstatement.find((l: { kind: string }) => l.kind === 'reinstatement-fee')).toMatchObject({
      amountMinor: 15_000,
      amount: '$150.00',
      period: null,
    });
    // The backfilled year runs from the original expiry (004: "Renewals backfill to the original date of expiration").
    expect(reinstatement.find((l: { kind: string }) => l.kind === 'subscription')).toMatchObject({
      amountMinor: 21_600,
      period: { start: termEnd, end: start.plus({ years: 2 }).toISO() },
    });
    const reinstatedMail = await mailOf(id, /reinstated/);
    expect(reinstatedMail.text).toContain('Total: $366.00');
  });
});

describe('reading subscriptions and charges', () => {
  let customerA: string;
  let customerB: string;
  let own: Http;
  let resold: Http;
  const subs: string[] = [];

  beforeAll(async () => {
    customerA = await stack.customer({ id: `list-a-${run}`, vendorId: 'per-user', devices: office, resellerId: resellerA });
    customerB = await stack.customer({ id: `list-b-${run}`, vendorId: 'per-user', devices: office, resellerId: resellerB });
    for (const [i, c] of [customerA, customerA, customerA, customerB].entries()) {
      const id = `S-list-${run}-${i}`;
      subs.push(id);
      await stack.http
        .post('/v1/subscriptions')
        .send({ ...perUser(c), id, ...(i === 2 ? { planId: 'assurance-standard', billingCycle: undefined } : {}) })
        .expect(201);
    }
    // Each row is written by its workflow a moment after the 201: wait for all four, B's too.
    await waitFor(async () => {
      const rows = await stack.db.db
        .select()
        .from(subscriptions)
        .where(inArray(subscriptions.customerId, [customerA, customerB]));
      return rows.length === 4 ? rows : undefined;
    });
    own = authed(stack.app, await stack.key('customer', customerA));
    resold = authed(stack.app, await stack.key('reseller', resellerA));
  });

  it('pages subscriptions by cursor with filters; each key sees only its own or its end customers’', async () => {
    const first = await stack.http.get(`/v1/subscriptions?customerId=${customerA}&limit=2`).expect(200);
    expect(first.body.items.map((s: { id: string }) => s.id)).toEqual(subs.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await stack.http.get(`/v1/subscriptions?customerId=${customerA}&limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body).toMatchObject({ items: [{ id: subs[2], planId: 'assurance-standard' }], nextCursor: null });
    const perUserOnly = await stack.http.get(`/v1/subscriptions?customerId=${customerA}&planId=per-user-support`).expect(200);
    expect(perUserOnly.body.items.map((s: { id: string }) => s.id)).toEqual(subs.slice(0, 2));
    expect((await stack.http.get(`/v1/subscriptions?customerId=${customerA}&status=lapsed`).expect(200)).body.items).toEqual([]);
    const byReseller = await stack.http.get(`/v1/subscriptions?resellerId=${resellerB}`).expect(200);
    expect(byReseller.body.items.map((s: { id: string }) => s.id)).toContain(subs[3]);
    expect(byReseller.body.items.every((s: { customerId: string }) => s.customerId === customerB)).toBe(true);

    const mine = await own.get('/v1/subscriptions?limit=200').expect(200);
    expect(mine.body.items.map((s: { id: string }) => s.id)).toEqual(subs.slice(0, 3));
    expect((await own.get(`/v1/subscriptions?customerId=${customerB}`).expect(200)).body.items).toEqual([]);
    const theirs = await resold.get('/v1/subscriptions?limit=200').expect(200);
    expect(theirs.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(subs.slice(0, 3)));
    expect(theirs.body.items.some((s: { customerId: string }) => s.customerId === customerB)).toBe(false);

    await resold.get(`/v1/subscriptions/${subs[0]}/invoices`).expect(200);
    await resold.get(`/v1/subscriptions/${subs[3]}/invoices`).expect(404);
    await own.get(`/v1/subscriptions/${subs[3]}/invoices`).expect(404);
    await stack.http.get('/v1/subscriptions/S-none-404/invoices').expect(404);

    const bad = await stack.http.get('/v1/subscriptions?cursor=bm9wZQ').expect(422);
    expect(bad.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'query.cursor' }] });
    expect((await stack.http.get('/v1/subscriptions?status=gone').expect(422)).body.errors[0].path).toBe('query.status');
    await stack.http.get('/v1/subscriptions?limit=0').expect(422);
  });

  it('lists a customer’s charges, subscription lines and ticket charges alike, refunds naming what they give back', async () => {
    await waitFor(async () => {
      const rows = await stack.db.db.select().from(charges).where(eq(charges.customerId, customerA));
      return rows.length === 3 ? rows : undefined;
    });
    // Ticket charges are written by the ticket side (000's $349 emergency, 004's hourly work); the read sees them as rows.
    const later = new Date(Date.now() + 60_000);
    await stack.db.db.insert(charges).values([
      {
        key: `T-EM-${run}:purchase#0`,
        invoiceKey: `T-EM-${run}:purchase`,
        ticketId: `T-EM-${run}`,
        customerId: customerA,
        kind: 'emergency-ticket',
        amountMinor: 34_900,
        currency: 'USD',
        description: 'Emergency ticket: 1-hour response, 24/7/365',
        paymentReference: 'pi_3Nx',
        catalogVersion: 1,
        at: later,
      },
      {
        key: `T-EM-${run}:refund#0`,
        invoiceKey: `T-EM-${run}:refund`,
        ticketId: `T-EM-${run}`,
        customerId: customerA,
        kind: 'refund',
        amountMinor: -34_900,
        currency: 'USD',
        description: 'Refund: emergency downgraded to a standard ticket',
        refersTo: `T-EM-${run}:purchase#0`,
        at: new Date(later.getTime() + 1_000),
      },
    ]);

    const page1 = await own.get(`/v1/customers/${customerA}/charges?limit=3`).expect(200);
    expect(page1.body.items.map((c: { subscriptionId: string }) => c.subscriptionId)).toEqual(subs.slice(0, 3));
    expect(page1.body.items[0]).toMatchObject({ kind: 'subscription', amountMinor: 21_600, currency: 'USD', quantity: 4, ticketId: null });
    expect(page1.body.items[2]).toMatchObject({ amountMinor: 49_900, amount: '$499.00', quantity: null });
    const page2 = await own.get(`/v1/customers/${customerA}/charges?limit=3&cursor=${page1.body.nextCursor}`).expect(200);
    expect(page2.body.nextCursor).toBeNull();
    expect(page2.body.items).toEqual([
      expect.objectContaining({
        kind: 'emergency-ticket',
        ticketId: `T-EM-${run}`,
        subscriptionId: null,
        amountMinor: 34_900,
        amount: '$349.00',
        paymentReference: 'pi_3Nx',
        period: null,
        catalogVersion: 1,
      }),
      expect.objectContaining({ kind: 'refund', amountMinor: -34_900, amount: '-$349.00', refersTo: `T-EM-${run}:purchase#0` }),
    ]);

    await resold.get(`/v1/customers/${customerA}/charges`).expect(200);
    await resold.get(`/v1/customers/${customerB}/charges`).expect(404);
    await own.get(`/v1/customers/${customerB}/charges`).expect(404);
    await own.get(`/v1/customers/${customerB}/features`).expect(404);
    await stack.http.get(`/v1/customers/nobody-${run}/charges`).expect(404);
    expect((await own.get(`/v1/customers/${customerA}/charges?cursor=abc`).expect(422)).body.errors[0].path).toBe('query.cursor');
  });
});
