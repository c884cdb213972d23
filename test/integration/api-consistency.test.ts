import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbPolicyStore } from '../../src/tickets/policy-store';
import { fastPolicy } from '../support/policies';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

/** Issue 11's sweep, each item as a new user meets it through the HTTP API. */
let stack: Stack;
const run = randomUUID().slice(0, 8);
const DAY = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

beforeAll(async () => {
  stack = await startStack({ policies: { get: (id) => dbPolicyStore(stack.db.db).get(id) } });
});
afterAll(async () => {
  await stack?.stop();
});

/** Paths of every number in a body that looks like an epoch-millisecond instant (after 2001). */
function epochNumbers(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return value > 1e12 ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => epochNumbers(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => epochNumbers(v, `${path}.${k}`));
  return [];
}

const { id: _i, version: _v, ...fast } = fastPolicy('x', { firstResponse: 2, nextReply: 3600 });

async function putPolicy(id: string, body: Record<string, unknown>) {
  const res = await stack.http.put(`/v1/policies/${id}`).send(body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res;
}

/**
 * A customer on record whose contract names `policyId`, one per policy: a contract must name a policy
 * that exists, and several of these policies are stored by the test that uses them.
 */
const customers = new Map<string, Promise<string>>();
function customerFor(policyId: string): Promise<string> {
  let id = customers.get(policyId);
  if (!id) customers.set(policyId, (id = stack.customer({ id: `c-${run}-${policyId}`.slice(0, 64), policies: [policyId] })));
  return id;
}

async function openTicket(policyId: string, extra: Record<string, unknown> = {}) {
  const res = await stack.http
    .post('/v1/tickets')
    .send({ customerId: await customerFor(policyId), requesterEmail: 'ann@example.test', subject: 'Export fails', policyId, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe('one error vocabulary: every refusal carries the domain’s snake_case code', () => {
  it('ticket, development ticket and subscription refusals answer 409 with their own codes', async () => {
    const id = await openTicket('mailup-standard');
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'On it' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(200);
    const twice = await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'already_resolved', status: 409 });
    expect(twice.body.detail).toMatch(/resolved/);
    const askResolved = await stack.http.post(`/v1/tickets/${id}/request-info`).send({ agent: 'bob', message: 'x' }).expect(409);
    expect(askResolved.body.code).toBe('ticket_resolved');
    await stack.http.post(`/v1/tickets/${id}/close`).send({ agent: 'bob' }).expect(200);
    const mitigate = await stack.http.post(`/v1/tickets/${id}/mitigate`).send({ agent: 'bob' }).expect(409);
    expect(mitigate.body.code).toBe('ticket_closed');

    const dev = await openTicket('mailup-standard');
    await stack.http.post(`/v1/tickets/${dev}/respond`).send({ agent: 'bob', message: 'Reproduced' }).expect(200);
    await stack.http.post(`/v1/tickets/${dev}/escalate`).send({ agent: 'bob', summary: 'Defect' }).expect(200);
    await waitFor(async () => {
      const r = await stack.http.post(`/v1/tickets/${dev}/development/resolve`).send({ engineer: 'eve', note: 'Fixed' });
      return r.status === 200 ? r : undefined;
    });
    const again = await stack.http.post(`/v1/tickets/${dev}/development/progress`).send({ engineer: 'eve', note: 'More' }).expect(409);
    // The fixed development ticket's workflow has ended: nothing left to update.
    expect(again.body.code).toBe('no_dev_ticket');

    const body = { customerId: `c-${run}`, contactEmail: 'billing@example.test', planId: 'assurance-standard', timeZone: 'UTC' };
    const sub = await stack.http.post('/v1/subscriptions').send(body).expect(201);
    const wrong = await stack.http.post(`/v1/subscriptions/${sub.body.id}/warranty-extension`).send({}).expect(409);
    expect(wrong.body.code).toBe('no_warranty');
    const unknown = await stack.http
      .post('/v1/subscriptions')
      .send({ ...body, planId: 'gold' })
      .expect(422);
    expect(unknown.body.code).toBe('unknown_plan');
  });

  it('lists every code in the OpenAPI document', async () => {
    const spec = (await stack.http.get('/v1/openapi.json').expect(200)).body;
    const codes: string[] = spec.components.schemas.Problem.properties.code.enum;
    for (const c of ['already_resolved', 'ticket_closed', 'dev_ticket_not_open', 'no_warranty', 'not_entitled', 'validation_failed']) {
      expect(codes).toContain(c);
    }
    expect(codes.every((c) => /^[a-z]+(_[a-z]+)*$/.test(c))).toBe(true);
  });
});

describe('API consistency', () => {
  it('answers instants as ISO 8601 strings: ticket views, development tickets, subscriptions', async () => {
    const id = await openTicket('mailup-standard');
    const bodies: unknown[] = [];
    bodies.push((await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Hi' }).expect(200)).body);
    const escalated = (await stack.http.post(`/v1/tickets/${id}/escalate`).send({ agent: 'bob', summary: 'Bug' }).expect(200)).body;
    bodies.push(escalated);
    expect(escalated.openedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(escalated.firstRespondedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    bodies.push(
      await waitFor(async () => {
        const r = await stack.http.post(`/v1/tickets/${id}/development/progress`).send({ engineer: 'eve', note: 'Found it' });
        return r.status === 200 ? r.body : undefined;
      }),
    );
    bodies.push((await stack.http.get(`/v1/tickets/${id}`).expect(200)).body);
    const body = { customerId: `c-${run}`, contactEmail: 'billing@example.test', planId: 'per-user-support', seats: 5, timeZone: 'UTC' };
    const sub = (await stack.http.post('/v1/subscriptions').send(body).expect(201)).body;
    bodies.push(sub);
    bodies.push((await stack.http.get(`/v1/subscriptions/${sub.id}`).expect(200)).body);
    bodies.push((await stack.http.post(`/v1/subscriptions/${sub.id}/seats`).send({ add: 2 }).expect(200)).body);
    expect(bodies.flatMap((b) => epochNumbers(b))).toEqual([]);
  });

  it('names the field the client sent: a missing top-level description is body.description', async () => {
    const res = await stack.http
      .post('/v1/tickets')
      .send({
        customerId: await customerFor('smartwork-emea'),
        requesterEmail: 'ann@example.test',
        subject: 'Broken',
        policyId: 'smartwork-emea',
      })
      .expect(422);
    expect(res.body.code).toBe('missing_ticket_fields');
    const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toContain('body.description');
    expect(paths).toContain('body.fields.softwareVersion');
    expect(paths).not.toContain('body.fields.description');
  });

  it('stores a policy whose optional lists are left out, as empty lists', async () => {
    const { requiredFields: _r, legacyVersions: _l, priorityRaisers: _p, assumptions: _a, ...bare } = fast;
    const res = await putPolicy(`bare-${run}`, { ...bare, name: 'Bare policy' });
    expect(res.body.policy).toMatchObject({ requiredFields: [], legacyVersions: [], priorityRaisers: [], assumptions: [] });
  });

  it('shows a reopened ticket without the resolution it no longer has', async () => {
    const id = await openTicket('mailup-standard');
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Try this' }).expect(200);
    const resolved = await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'workaround' }).expect(200);
    expect(resolved.body.resolvedAt).toMatch(/^\d{4}-/);
    const reopened = await stack.http.post(`/v1/tickets/${id}/reopen`).send({ agent: 'bob' }).expect(200);
    expect(reopened.body.resolvedAt).toBeUndefined();
    expect(reopened.body.closedAt).toBeUndefined();
    const row = await waitFor(async () => {
      const r = (await stack.http.get(`/v1/tickets/${id}`).expect(200)).body;
      return r.status === 'in_progress' ? r : undefined;
    });
    expect(row).toMatchObject({ resolvedAt: null, closedAt: null });
  });

  it('never lists a deadline already passed as a current commitment', async () => {
    const policyId = `fast-${run}`;
    await putPolicy(policyId, { ...fast, name: 'Two-second policy' });
    const id = await openTicket(policyId);
    const [breach] = await stack.mail.waitFor((m) => m.subject === `[${id}] SLA breach: first response missed`);
    expect(breach?.text).toMatch(/Missed, being worked on:\n {2}first response: /);
    expect(breach?.text).not.toMatch(/Current commitments:\n {2}first response/);
    await stack.http.post(`/v1/tickets/${id}/priority`).send({ agent: 'lead', priority: 'high' }).expect(200);
    const [changed] = await stack.mail.waitFor((m) => m.subject === `[${id}] Priority changed to high`);
    const commitments = changed?.text.split('Missed, being worked on:')[0] ?? '';
    expect(commitments).not.toMatch(/first response/);
  });

  it('keeps a mitigated emergency’s business deadline exact: closed hours count nothing, not even milliseconds', async () => {
    // A calendar closed now: open only 09:00–17:00 UTC on the day after tomorrow.
    const day = new Date(Date.now() + 2 * DAY);
    const weekday = WEEKDAYS[day.getUTCDay()]!;
    const calendarId = `later-${run}`;
    await stack.http
      .put(`/v1/calendars/${calendarId}`)
      .send({ name: 'Opens later', timeZone: 'UTC', weekly: { [weekday]: [{ start: '09:00', end: '17:00' }] } })
      .expect(200);
    const business = { ms: 2 * 3_600_000, clock: 'business' };
    const standardId = `after-${run}`;
    const targets = { firstResponse: business, nextReply: business };
    await putPolicy(standardId, {
      ...fast,
      name: 'Business hours later',
      calendarId,
      zone: 'UTC',
      defaultPriority: 'urgent',
      priorities: { urgent: targets, normal: targets },
    });
    const emergencyId = `emergency-${run}`;
    const wall = { ms: 3_600_000, clock: 'wall' };
    await putPolicy(emergencyId, {
      ...fast,
      name: 'Emergency',
      defaultPriority: 'urgent',
      priorities: { urgent: { firstResponse: wall, nextReply: wall } },
      emergency: {
        fallbackPolicyId: standardId,
        fallbackPriority: 'urgent',
        downgradePriority: 'normal',
        refund: { amountMinor: 0, currency: 'USD' },
      },
    });
    const id = await openTicket(emergencyId);
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'oncall', message: 'On it' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/replies`).send({ message: 'Still down' }).expect(200);
    const mitigated = await stack.http.post(`/v1/tickets/${id}/mitigate`).send({ agent: 'oncall' }).expect(200);
    const opens = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 9);
    expect(mitigated.body).toMatchObject({ status: 'mitigated', policyId: standardId });
    expect(mitigated.body.deadlines.next_reply).toBe(new Date(opens + 2 * 3_600_000).toISOString());
  });
});
