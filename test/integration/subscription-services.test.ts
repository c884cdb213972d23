import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEventPageSchema, backupOverviewSchema } from '../../src/api/service-schemas';
import { subscriptions } from '../../src/db/schema';
import type { Device } from '../../src/domain/subscription';
import type { ReceivedMail } from '../../src/mail/mail-sink';
import { authed, startStack, testApp, type Http, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

let stack: Stack;
const run = randomUUID().slice(0, 6);
const devices: Device[] = [{ id: 'd-ann', kind: 'desk-phone', user: 'Ann' }];
const contacts = [
  { name: 'Ann Admin', email: 'admin@svc.test', administrator: true },
  { name: 'Bob User', email: 'bob@svc.test' },
];
const systems = [
  { id: 'pbx-1', type: 'UCX250', hostId: 'H-1' },
  { id: 'old-1', type: 'Legacy PBX', endOfLife: true },
];

/** A per-user customer with an administrator contact, a current system and an EOL one, subscribed from `startAt`. */
async function subscribed(name: string, startAt?: DateTime) {
  const customerId = await stack.customer({ id: `${name}-${run}`, vendorId: 'per-user', devices, contacts, systems });
  const id = `S-${name}-${run}`;
  const created = await stack.http
    .post('/v1/subscriptions')
    .send({
      id,
      customerId,
      contactEmail: 'billing@svc.test',
      planId: 'per-user-support',
      timeZone: 'UTC',
      ...(startAt ? { startAt: startAt.toISO() } : {}),
    })
    .expect(201);
  return { customerId, id, termEnd: Date.parse(created.body.termEnd as string) };
}

const subscriptionStatus = async (id: string) =>
  (await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, id)))[0]?.status;
const mailsOf = (customerId: string, eventId: string) => (m: ReceivedMail) =>
  m.headers['x-supportflow-key']?.startsWith(`admin-event:${customerId}:${eventId}:`) === true;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('004 "Receive email notifications of system administration issues or events"', () => {
  it('mails the administrator contact once per event, keeps and lists the event; a lapsed customer gets none, told why', async () => {
    const { customerId, id, termEnd } = await subscribed('notify');
    await waitFor(async () => ((await subscriptionStatus(id)) === 'active' ? true : undefined));
    const report = {
      id: 'mon-4711',
      systemId: 'pbx-1',
      severity: 'critical',
      title: 'Trunk SIP-1 unregistered',
      detail: 'No REGISTER reply for 5 minutes.',
    };

    const first = await stack.http.post(`/v1/customers/${customerId}/admin-events`).send(report).expect(201);
    expect(first.body).toMatchObject({ id: 'mon-4711', systemId: 'pbx-1', notification: { code: null, subscriptionId: id } });
    expect(first.body.notification.recipients).toEqual([{ email: 'admin@svc.test', delivery: expect.any(String) }]);
    const [mail] = await stack.mail.waitFor(mailsOf(customerId, 'mon-4711'));
    expect(mail).toMatchObject({ to: ['admin@svc.test'], subject: `[Customer ${customerId}] Critical: Trunk SIP-1 unregistered` });
    expect(mail!.text).toContain('A system administration issue was reported for UCX250 pbx-1');
    expect(mail!.text).toContain('No REGISTER reply for 5 minutes.');

    // The monitoring resends (a timeout on its side): the same event, no second mail.
    const again = await stack.http.post(`/v1/customers/${customerId}/admin-events`).send(report).expect(200);
    expect(again.body.id).toBe('mon-4711');
    const unknown = await stack.http
      .post(`/v1/customers/${customerId}/admin-events`)
      .send({ title: 'Disk full', systemId: 'nope' })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_system', errors: [{ path: 'body.systemId' }] });
    const customerKey = authed(stack.app, await stack.key('customer', customerId));
    await customerKey.post(`/v1/customers/${customerId}/admin-events`).send({ title: 'x' }).expect(403);

    // The same customer after its expiry: features are off from the expiry instant (the API reads the term at its clock).
    const lapsedApi = authed(testApp(stack, { now: () => termEnd + 86_400_000 }), await stack.key('staff'));
    const missed = await lapsedApi
      .post(`/v1/customers/${customerId}/admin-events`)
      .send({ id: 'mon-4712', severity: 'warning', title: 'Voicemail storage at 90%' })
      .expect(201);
    expect(missed.body.notification).toMatchObject({ status: 'not_sent', code: 'feature_not_active', recipients: [], subscriptionId: id });
    expect(missed.body.notification.detail).toContain(`subscription ${id}, which included system administration notifications, ended on`);

    const listed = await waitFor(async () => {
      const res = await customerKey.get(`/v1/customers/${customerId}/admin-events`).expect(200);
      return res.body.items[1]?.notification.status === 'sent' ? res : undefined;
    });
    // What the OpenAPI document promises, as the routes' own schemas say it.
    adminEventPageSchema.parse(listed.body);
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual(['mon-4712', 'mon-4711']);
    expect(listed.body.items[1].notification.recipients).toEqual([{ email: 'admin@svc.test', delivery: 'sent' }]);
    expect(stack.mail.messages.filter(mailsOf(customerId, 'mon-4711'))).toHaveLength(1);
    expect(stack.mail.messages.filter(mailsOf(customerId, 'mon-4712'))).toHaveLength(0);
  });

  it('mails nothing for a customer whose subscription really lapsed, and mails again once it is reinstated', async () => {
    const { customerId, id } = await subscribed('lapsed', DateTime.utc().minus({ years: 1, days: 1 }));
    await waitFor(async () => ((await subscriptionStatus(id)) === 'lapsed' ? true : undefined));
    const before = await stack.http.post(`/v1/customers/${customerId}/admin-events`).send({ id: 'ev-1', title: 'Fan failure' }).expect(201);
    expect(before.body.notification).toMatchObject({ status: 'not_sent', code: 'feature_not_active' });

    await stack.http.post(`/v1/subscriptions/${id}/reinstate`).send({}).expect(200);
    await waitFor(async () => ((await subscriptionStatus(id)) === 'active' ? true : undefined));
    const after = await stack.http.post(`/v1/customers/${customerId}/admin-events`).send({ id: 'ev-2', title: 'Fan failure' }).expect(201);
    expect(after.body.notification.status).not.toBe('not_sent');
    await stack.mail.waitFor(mailsOf(customerId, 'ev-2'));
    expect(stack.mail.messages.filter(mailsOf(customerId, 'ev-1'))).toHaveLength(0);
  });
});

describe('004 "an annual config backup … (*Except EOL products.)", deleted from the archive after a lapse', () => {
  let customerId: string;
  let subscriptionId: string;
  let termEnd: number;
  let staffAt: (at: number) => Promise<Http>;

  beforeAll(async () => {
    ({ customerId, id: subscriptionId, termEnd } = await subscribed('backup'));
    await waitFor(async () => ((await subscriptionStatus(subscriptionId)) === 'active' ? true : undefined));
    staffAt = async (at) => authed(testApp(stack, { now: () => at }), await stack.key('staff'));
  });

  it('records a backup, refuses EOL products, unknown systems and future stamps, and says when the next one is due', async () => {
    const takenAt = DateTime.utc().minus({ hours: 1 }).startOf('second');
    const body = { systemId: 'pbx-1', takenAt: takenAt.toISO(), location: 's3://archive/backup-pbx-1.tar' };
    const created = await stack.http.post(`/v1/customers/${customerId}/config-backups`).send(body).expect(201);
    expect(created.body).toMatchObject({ systemId: 'pbx-1', subscriptionId, status: 'kept', deletesAt: null, deletedAt: null });
    const retried = await stack.http.post(`/v1/customers/${customerId}/config-backups`).send(body).expect(200);
    expect(retried.body.id).toBe(created.body.id);
    const moved = await stack.http
      .post(`/v1/customers/${customerId}/config-backups`)
      .send({ ...body, location: 's3://elsewhere' })
      .expect(409);
    expect(moved.body.code).toBe('already_exists');

    const eol = await stack.http
      .post(`/v1/customers/${customerId}/config-backups`)
      .send({ ...body, systemId: 'old-1' })
      .expect(409);
    expect(eol.body).toMatchObject({ code: 'end_of_life_product', errors: [{ path: 'body.systemId' }] });
    const unknown = await stack.http
      .post(`/v1/customers/${customerId}/config-backups`)
      .send({ ...body, systemId: 'nope' })
      .expect(422);
    expect(unknown.body.code).toBe('unknown_system');
    const future = await stack.http
      .post(`/v1/customers/${customerId}/config-backups`)
      .send({ ...body, takenAt: DateTime.utc().plus({ hours: 1 }).toISO() })
      .expect(422);
    expect(future.body).toMatchObject({ code: 'time_in_future', errors: [{ path: 'body.takenAt' }] });
    const none = await stack.customer({ id: `nosub-${run}`, vendorId: 'per-user', systems });
    expect((await stack.http.post(`/v1/customers/${none}/config-backups`).send(body).expect(409)).body.code).toBe('feature_not_active');

    const customerKey = authed(stack.app, await stack.key('customer', customerId));
    const read = await customerKey.get(`/v1/customers/${customerId}/config-backups`).expect(200);
    backupOverviewSchema.parse(read.body);
    expect(read.body.service).toMatchObject({ active: true, subscriptionId });
    expect(read.body.items).toHaveLength(1);
    expect(read.body.systems).toEqual([
      {
        systemId: 'pbx-1',
        endOfLife: false,
        lastTakenAt: takenAt.toISO(),
        nextDueAt: takenAt.plus({ years: 1 }).toISO(),
        overdue: false,
        code: null,
      },
      { systemId: 'old-1', endOfLife: true, lastTakenAt: null, nextDueAt: null, overdue: false, code: 'end_of_life_product' },
    ]);
  });

  it('marks the backups for deletion at the lapse, deleted after the retention, and refuses new ones meanwhile', async () => {
    // The API's clock past the expiry: the lapse reads from the term at once, before the workflow's timer lands.
    const lapsed = await staffAt(termEnd + 86_400_000);
    const purgeAt = DateTime.fromMillis(termEnd, { zone: 'UTC' }).plus({ days: 90 }).toISO();
    const marked = await lapsed.get(`/v1/customers/${customerId}/config-backups`).expect(200);
    backupOverviewSchema.parse(marked.body);
    expect(marked.body.service).toMatchObject({ active: false, code: 'feature_not_active', subscriptionId });
    expect(marked.body.items).toMatchObject([{ status: 'deletion_scheduled', deletesAt: purgeAt, deletedAt: null }]);
    expect(marked.body.systems[0]).toMatchObject({ nextDueAt: null, code: 'feature_not_active' });
    const refused = await lapsed
      .post(`/v1/customers/${customerId}/config-backups`)
      .send({ systemId: 'pbx-1', takenAt: new Date(termEnd).toISOString(), location: 's3://archive/late.tar' })
      .expect(409);
    expect(refused.body.code).toBe('feature_not_active');

    const purged = await (await staffAt(Date.parse(purgeAt!) + 1_000)).get(`/v1/customers/${customerId}/config-backups`).expect(200);
    expect(purged.body.items).toMatchObject([{ status: 'deleted', deletesAt: null, deletedAt: purgeAt }]);
    expect(purged.body.systems[0]).toMatchObject({ lastTakenAt: null });
  });
});
