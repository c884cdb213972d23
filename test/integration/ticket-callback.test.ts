import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { addBusinessTime } from '../../src/domain/calendar/index';
import { calendarForPolicy, getPolicyPreset } from '../../src/domain/ticket/index';
import { createApiKey } from '../../src/auth/api-keys';
import { ticketEvents } from '../../src/db/schema';
import * as c from '../../workflows/ticket/contract';
import { SlaBreachedKey, SlaStateKey } from '../../workflows/search-attributes';
import { authed, testApp, type Http } from '../support/stack';
import { startTimeSkippingStack, type SkippingStack } from '../support/time-skipping';
import { at } from '../support/ticket-input';
import { waitFor } from '../support/wait';

/**
 * Seed 003, MailUp Premium Support, through the HTTP API on the time-skipping test server: "You will have
 * to leave a message with our support team, indicating the date/time/contact phone to call you back, the
 * nature of the issue, and someone will call you back within 2-4 hours", Monday to Friday 9-13 and 14-18.
 * The API's clock is the test server's, so a ticket opens at the instant the test names.
 */
const ROME = 'Europe/Rome';
const r = (local: string) => at(local, ROME);
const iso = (t: number) => new Date(t).toISOString();
const PHONE = '+39 02 1234 5678';
const calendar = calendarForPolicy(getPolicyPreset('mailup-premium'));

let s: SkippingStack;
let http: Http;
let apiNow = 0;
/** A MailUp Premium customer of this file's own, on record like every customer that opens tickets. */
const customerId = `acme-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  s = await startTimeSkippingStack();
  const app = testApp({ client: s.env.client, db: s.db, taskQueue: s.taskQueue }, { now: () => apiNow });
  http = authed(app, (await createApiKey(s.db.db, { role: 'admin', tenantId: null, label: 'callback test' })).key);
  await http
    .post('/v1/customers')
    .send({
      id: customerId,
      name: 'Acme',
      timeZone: ROME,
      vendorId: 'mailup',
      domains: ['acme.test'],
      contracts: [{ id: 'premium', policyId: 'mailup-premium', validFrom: '2000-01-01T00:00:00Z' }],
    })
    .expect(201);
});
afterAll(async () => {
  await s?.stop();
});

/** Moves the test server's clock (forward only) and the API's to `instant`. */
async function skipTo(instant: number): Promise<void> {
  await s.sleepUntil(instant);
  apiNow = instant;
}

function rowsOf(ticketId: string, kind: string) {
  return s.db.db
    .select()
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, kind)));
}

/** The warning or breach rows of one clock, once the workflow has written them. */
function clockEvents(ticketId: string, kind: 'warning' | 'breach', clock: string) {
  return waitFor(async () => {
    const mine = (await rowsOf(ticketId, kind)).filter((e) => e.data.clock === clock);
    return mine.length ? mine : undefined;
  });
}

const phoneTicket = (fields: Record<string, string>) => ({
  customerId,
  requesterEmail: 'ann@acme.test',
  subject: 'Campaign stuck in the queue',
  policyId: 'mailup-premium',
  channel: 'phone',
  fields,
});

describe('003 premium phone callback, an SLA clock of its own', () => {
  it('a phone ticket opened Friday 16:30 is called back by Monday 11:30: warned at 09:30, breached at 11:30', async () => {
    const opened = r('2027-01-22T16:30');
    const warnAt = r('2027-01-25T09:30');
    const dueAt = r('2027-01-25T11:30');
    // Friday 16:30-18:00 and Monday 09:00-11:30 are the 4 working hours; half of them end Monday 09:30.
    expect(addBusinessTime(calendar, opened, 4 * 3_600_000)).toBe(dueAt);
    expect(addBusinessTime(calendar, opened, 2 * 3_600_000)).toBe(warnAt);
    await skipTo(opened);

    const refused = await http.post('/v1/tickets').send(phoneTicket({})).expect(422);
    expect(refused.body.code).toBe('missing_ticket_fields');
    expect(refused.body.errors).toMatchObject([
      { path: 'body.fields.callbackPhone', message: 'Phone number to call back is required by MailUp Premium Support' },
    ]);

    const res = await http
      .post('/v1/tickets')
      .send(phoneTicket({ callbackPhone: PHONE }))
      .expect(201);
    const id: string = res.body.id;
    expect(res.body).toMatchObject({ policyId: 'mailup-premium', channel: 'phone', coveredBy: { kind: 'contract', id: 'premium' } });
    expect(res.body.deadlines).toMatchObject({ callback: iso(dueAt), first_response: iso(dueAt) });
    expect(res.body.schedule).toContainEqual({
      kind: 'phone_callback',
      dueAt: iso(dueAt),
      text: 'phone callback due Mon 25 Jan 2027 11:30 Europe/Rome',
    });
    const handle = s.env.client.workflow.getHandle(c.ticketWorkflowId(id));
    expect((await handle.query(c.ticketQuery)).deadlines.callback).toBe(iso(dueAt));
    const ack = await s.mail.waitFor((m) => m.subject === `[${id}] We received your request: Campaign stuck in the queue`);
    expect(ack[0]?.text).toContain(`We will call you back on ${PHONE}.`);
    expect(ack[0]?.text).toContain('phone callback: Mon 25 Jan 2027 11:30 Europe/Rome');

    await skipTo(warnAt + 60_000);
    const [warning] = await clockEvents(id, 'warning', 'callback');
    expect(warning?.at.getTime()).toBe(warnAt);
    expect(warning?.data).toMatchObject({ fraction: 0.5, dueAt });
    await s.mail.waitFor((m) => m.subject === `[${id}] SLA warning: phone callback 50% used`);
    expect((await rowsOf(id, 'breach')).filter((b) => b.data.clock === 'callback')).toHaveLength(0);

    await skipTo(dueAt + 60_000);
    const [breach] = await clockEvents(id, 'breach', 'callback');
    expect(breach?.at.getTime()).toBe(dueAt);
    expect(breach?.data.firedAt as number).toBeGreaterThanOrEqual(dueAt);
    expect(breach?.data.firedAt as number).toBeLessThan(dueAt + 1000);
    const mails = await s.mail.waitFor(
      (m) => m.subject === `[${id}] SLA breach: phone callback missed` && m.to.includes('lead@vendor.test'),
    );
    expect(mails[0]?.text).toContain('The phone callback deadline Mon 25 Jan 2027 11:30 Europe/Rome has passed.');
    const row = await waitFor(async () => {
      const got = await http.get(`/v1/tickets/${id}`).expect(200);
      return got.body.slaState === 'breached' ? got.body : undefined;
    });
    expect(row.deadlines.callback).toBe(iso(dueAt));
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(SlaStateKey)).toBe('breached');
    expect(described.typedSearchAttributes.get(SlaBreachedKey)).toBe(true);

    // The call is still owed after the breach; making it ends the clock.
    const called = await http.post(`/v1/tickets/${id}/callback`).send({ agent: 'bob', note: 'Queue restarted' }).expect(200);
    expect(called.body.deadlines.callback).toBeUndefined();
  });

  it('a call back before the deadline stops the clock: no breach, and a second one is refused', async () => {
    const opened = r('2027-01-26T09:00');
    const dueAt = r('2027-01-26T13:00');
    await skipTo(opened);
    const res = await http
      .post('/v1/tickets')
      .send(phoneTicket({ callbackPhone: PHONE }))
      .expect(201);
    const id: string = res.body.id;
    expect(res.body.deadlines.callback).toBe(iso(dueAt));

    await skipTo(r('2027-01-26T10:00'));
    const called = await http.post(`/v1/tickets/${id}/callback`).send({ agent: 'bob', note: 'Explained the sending limits' }).expect(200);
    // A call back is a reply by phone: it is the first response too.
    expect(called.body).toMatchObject({ status: 'answered', slaState: 'ok' });
    expect(called.body.deadlines.callback).toBeUndefined();
    expect(called.body.deadlines.first_response).toBeUndefined();
    await s.mail.waitFor((m) => m.subject === `[${id}] We called you back` && m.text.includes('Explained the sending limits'));

    const again = await http.post(`/v1/tickets/${id}/callback`).send({ agent: 'bob' }).expect(409);
    expect(again.body.code).toBe('no_callback_pending');

    await skipTo(dueAt + 5 * 60_000);
    expect(await rowsOf(id, 'breach')).toHaveLength(0);
  });

  it('a phone message joining an email ticket starts the clock from the message', async () => {
    await skipTo(r('2027-01-27T09:00'));
    const res = await http
      .post('/v1/tickets')
      .send({ ...phoneTicket({}), subject: 'Bounce report', channel: 'email' })
      .expect(201);
    const id: string = res.body.id;
    expect(res.body.deadlines.callback).toBeUndefined();
    const none = await http.post(`/v1/tickets/${id}/callback`).send({ agent: 'bob' }).expect(409);
    expect(none.body.code).toBe('no_callback_pending');
    await http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Looking into it' }).expect(200);

    await skipTo(r('2027-01-27T12:00'));
    const bad = await http.post(`/v1/tickets/${id}/phone-message`).send({ callbackPhone: 'soon', message: 'Call me' }).expect(422);
    expect(bad.body.code).toBe('validation_failed');
    const left = { callbackPhone: PHONE, callbackAt: '2027-01-27T15:00:00+01:00', message: 'Bounces doubled since this morning' };
    const joined = await http.post(`/v1/tickets/${id}/phone-message`).send(left).expect(200);
    expect(joined.body.status).toBe('in_progress');
    // The action's event is written before the update answers.
    const [message] = await rowsOf(id, 'phone_message');
    expect(message?.data).toMatchObject({ action: { type: 'phone_message', callbackPhone: PHONE }, actor: 'customer' });
    const messageAt = message!.at.getTime();
    // 12:00-13:00, then 14:00-17:00: lunch does not count. The update lands a few milliseconds after 12:00.
    const dueAt = Date.parse(joined.body.deadlines.callback);
    expect(dueAt).toBe(addBusinessTime(calendar, messageAt, 4 * 3_600_000));
    expect(Math.abs(dueAt - r('2027-01-27T17:00'))).toBeLessThan(1000);
    const staff = await s.mail.waitFor((m) => m.subject === `[${id}] Phone message: call the customer back`);
    expect(staff[0]?.to).toContain('lead@vendor.test');
    expect(staff[0]?.text).toContain(`Call back on ${PHONE}`);

    await skipTo(dueAt + 60_000);
    const [breach] = await clockEvents(id, 'breach', 'callback');
    expect(breach?.at.getTime()).toBe(dueAt);
  });
});

/**
 * 003: "indicating the date/time … to call you back": the call is due at the later of the time asked for
 * and 4 working hours after the message, its warnings 2 and 1 working hours before it.
 */
describe('003 premium phone callback at the time the customer asked for', () => {
  it('a phone ticket opened Thursday 10:00 asking for Friday 16:30 owes its call then, not Thursday 15:00', async () => {
    const opened = r('2027-01-28T10:00');
    const dueAt = r('2027-01-29T16:30');
    await skipTo(opened);
    const malformed = await http
      .post('/v1/tickets')
      .send(phoneTicket({ callbackPhone: PHONE, callbackAt: 'tomorrow afternoon' }))
      .expect(422);
    expect(malformed.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.fields.callbackAt' }] });

    const res = await http
      .post('/v1/tickets')
      .send(phoneTicket({ callbackPhone: PHONE, callbackAt: '2027-01-29T16:30:00+01:00' }))
      .expect(201);
    const id: string = res.body.id;
    // The first response is still owed 4 working hours after the opening: 10-13 and 14-15.
    expect(res.body.deadlines).toMatchObject({ callback: iso(dueAt), first_response: iso(r('2027-01-28T15:00')) });
    expect(res.body.schedule).toContainEqual({
      kind: 'phone_callback',
      dueAt: iso(dueAt),
      text: 'phone callback due Fri 29 Jan 2027 16:30 Europe/Rome',
    });
    const handle = s.env.client.workflow.getHandle(c.ticketWorkflowId(id));
    expect((await handle.query(c.ticketQuery)).deadlines.callback).toBe(iso(dueAt));

    await skipTo(r('2027-01-28T15:05'));
    await clockEvents(id, 'breach', 'first_response');
    expect((await rowsOf(id, 'breach')).filter((b) => b.data.clock === 'callback')).toHaveLength(0);
  });

  it('a phone message Monday 10:00 asking for Tuesday 16:30 is warned at 14:30 and breached at 16:30 Tuesday', async () => {
    await skipTo(r('2027-02-01T09:00'));
    const res = await http
      .post('/v1/tickets')
      .send({ ...phoneTicket({}), subject: 'List import', channel: 'email' })
      .expect(201);
    const id: string = res.body.id;
    await http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Looking into it' }).expect(200);

    await skipTo(r('2027-02-01T10:00'));
    const left = { callbackPhone: PHONE, callbackAt: '2027-02-02T16:30:00+01:00', message: 'Please call me tomorrow afternoon' };
    const joined = await http.post(`/v1/tickets/${id}/phone-message`).send(left).expect(200);
    const dueAt = r('2027-02-02T16:30');
    const warnAt = r('2027-02-02T14:30');
    expect(joined.body.deadlines.callback).toBe(iso(dueAt));

    // The message alone would have breached Monday 15:00 (10-13 and 14-15); the warning is written after that.
    await skipTo(warnAt + 60_000);
    const [warning] = await clockEvents(id, 'warning', 'callback');
    expect(warning?.at.getTime()).toBe(warnAt);
    expect(warning?.data).toMatchObject({ fraction: 0.5, dueAt });
    expect((await rowsOf(id, 'breach')).filter((b) => b.data.clock === 'callback')).toHaveLength(0);

    await skipTo(dueAt + 60_000);
    const [breach] = await clockEvents(id, 'breach', 'callback');
    expect(breach?.at.getTime()).toBe(dueAt);
    await s.mail.waitFor((m) => m.subject === `[${id}] SLA breach: phone callback missed` && m.text.includes('Tue 2 Feb 2027 16:30'));
  });
});
