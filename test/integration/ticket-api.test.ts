import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter, fromPayloadsAtIndex } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedId } from '../../src/api/idempotency';
import { hashApiKey } from '../../src/auth/api-keys';
import { apiKeys, emailOutbox, subscriptions, ticketEvents, tickets } from '../../src/db/schema';
import { presetPolicyStore } from '../../src/tickets/policy-store';
import { ticketWorkflowId, type OpenTicketInput } from '../../workflows/ticket/contract';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { fastPolicy } from '../support/policies';
import { authed, startStack, type Stack } from '../support/stack';
import { ticketInput } from '../support/ticket-input';
import { waitFor } from '../support/wait';

const store = presetPolicyStore({
  'fast-periodic': fastPolicy('fast-periodic', { firstResponse: 3600, periodic: 3 }),
  'fast-close': fastPolicy('fast-close', { firstResponse: 3600, reopen: 3600 }),
  'fast-reopen': fastPolicy('fast-reopen', { firstResponse: 3600, reopen: 2 }),
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ policies: store });
});
afterAll(async () => {
  await stack?.stop();
});

const uid = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;
const emetrotelFields = {
  endCustomerName: 'Dallas Dental',
  systemType: 'UCX250',
  hostId: 'HX-4411',
  softwareRelease: '6.0.21',
  callScenario: 'Inbound calls drop after the IVR greeting',
};

describe('opening tickets: entitlement, required fields, priority raisers, resellers', () => {
  it('refuses a ticket for a lapsed subscription with the reason and the vendor’s advice, starting and mailing nothing; covers an active one at its tier', async () => {
    // Subscriptions cover customers on record; these two bought nothing else, so the subscription decides.
    const lapsed = await stack.customer({ id: uid('cust'), vendorId: 'emetrotel', domains: ['lapsed.test'] });
    const start = Date.now() - 400 * 86_400_000;
    const subId = uid('S');
    await stack.http
      .post('/v1/subscriptions')
      .send({
        id: subId,
        customerId: lapsed,
        contactEmail: 'it@lapsed.test',
        planId: 'assurance-premium',
        timeZone: 'America/Chicago',
        startAt: new Date(start).toISOString(),
        autoRenew: false,
      })
      .expect(201);
    await waitFor(async () =>
      (await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, subId)))[0]?.status === 'lapsed' ? true : undefined,
    );
    // A key of this test's own, so the ticket id the Idempotency-Key would give the refused ticket is known.
    const key = await stack.key('admin');
    const [keyRow] = await stack.db.db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(eq(apiKeys.hash, hashApiKey(key)));
    const idempotencyKey = randomUUID();
    // Not the subscription's contact, whom the subscription itself mails: any mail to this address would be the ticket's.
    const requester = `${uid('it')}@lapsed.test`;
    const refusedId = derivedId('T-', { keyId: keyRow?.id ?? '', key: idempotencyKey }, 'open');
    const refused = await authed(stack.app, key)
      .post('/v1/tickets')
      .set('Idempotency-Key', idempotencyKey)
      .send({
        customerId: lapsed,
        requesterEmail: requester,
        subject: 'Phones down',
        channel: 'phone',
        fields: emetrotelFields,
      })
      .expect(409);
    expect(refused.body.code).toBe('not_entitled');
    // The reason (the lapsed subscription), then E-MetroTel's own advice, not another vendor's.
    expect(refused.body.detail).toMatch(new RegExp(`^Subscription ${subId} is lapsed`));
    expect(refused.body.detail).toMatch(/Contact your Reseller for a quote/);
    expect(refused.body.detail).toMatch(/approved purchase order/);
    expect(refused.body.detail).not.toMatch(/emergency/i);
    // Nothing started: no workflow under the ticket's id nor for the customer, no row, no notice email.
    await expect(stack.client.workflow.getHandle(ticketWorkflowId(refusedId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // The subscription's own workflow carries the customer too; any other (a ticket, a refusal) must not exist.
    const started: string[] = [];
    const others = `CustomerId = '${lapsed}' AND WorkflowType != 'subscriptionWorkflow'`;
    for await (const wf of stack.client.workflow.list({ query: others })) started.push(wf.workflowId);
    expect(started).toEqual([]);
    expect(await stack.db.db.select().from(tickets).where(eq(tickets.customerId, lapsed))).toHaveLength(0);
    expect(await stack.db.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, requester))).toHaveLength(0);
    expect(stack.mail.messages.filter((m) => m.to.includes(requester))).toEqual([]);

    const active = await stack.customer({ id: uid('cust'), vendorId: 'emetrotel', domains: ['active.test'] });
    const activeId = uid('S');
    await stack.http
      .post('/v1/subscriptions')
      .send({ id: activeId, customerId: active, contactEmail: 'it@active.test', planId: 'assurance-premium', timeZone: 'America/Chicago' })
      .expect(201);
    await waitFor(async () => (await stack.db.db.select().from(subscriptions).where(eq(subscriptions.id, activeId)))[0]);
    const ok = await stack.http
      .post('/v1/tickets')
      .send({
        customerId: active,
        requesterEmail: 'it@active.test',
        subject: 'Voicemail full',
        policyId: 'emetrotel-premium',
        channel: 'phone',
        fields: emetrotelFields,
      })
      .expect(201);
    expect(ok.body).toMatchObject({
      tier: 'premium',
      policyId: 'emetrotel-premium',
      channel: 'phone',
      coveredBy: { kind: 'subscription', id: activeId },
    });
  });

  it('002: a reseller opens for its end customer; "Emergency – System Down" raises the priority to urgent', async () => {
    const reseller = uid('reseller-tx');
    const customer = await stack.customer({
      id: uid('end'),
      policies: ['emetrotel-premium-plus'],
      resellerId: reseller,
      contacts: [{ name: 'Reseller NOC', email: 'noc@reseller.test' }],
    });
    const res = await stack.http
      .post('/v1/tickets')
      .send({
        customerId: customer,
        resellerId: reseller,
        requesterEmail: 'noc@reseller.test',
        subject: 'Emergency – System Down',
        description: 'No dial tone',
        policyId: 'emetrotel-premium-plus',
        fields: emetrotelFields,
      })
      .expect(201);
    expect(res.body.priority).toBe('urgent');
    const row = await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, res.body.id)))[0]);
    expect(row).toMatchObject({ resellerId: reseller, priority: 'urgent', customerId: customer });
    expect(row.fields).toMatchObject({ hostId: 'HX-4411' });
  });

  it('001: the vendor classifies; a customer or reseller key’s priority is kept as the requester’s view, staff set it', async () => {
    const customer = await stack.customer({ id: uid('sw'), policies: ['smartwork-emea'] });
    const body = {
      requesterEmail: 'dev@acme.test',
      subject: 'Export fails',
      description: 'The nightly export stops at 80 % with error E42, every night since Monday.',
      priority: 'urgent',
      fields: { softwareVersion: '4.2.1', technicalContact: 'Jo Admin' },
    };
    const asCustomer = authed(stack.app, await stack.key('customer', customer));
    const mine = await asCustomer.post('/v1/tickets').send(body).expect(201);
    // Urgent would owe a reply in 2 business hours; the customer cannot buy itself that by asking.
    expect(mine.body.priority).toBe('normal');
    await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, mine.body.id)))[0]);
    const read = await asCustomer.get(`/v1/tickets/${mine.body.id}`).expect(200);
    expect(read.body).toMatchObject({ priority: 'normal', fields: { requestedPriority: 'urgent' } });
    const triaged = await stack.http.post(`/v1/tickets/${mine.body.id}/priority`).send({ agent: 'lead', priority: 'urgent' });
    expect(triaged.status).toBe(200);
    expect(triaged.body.priority).toBe('urgent');

    const byStaff = await stack.http
      .post('/v1/tickets')
      .send({ ...body, customerId: customer })
      .expect(201);
    expect(byStaff.body.priority).toBe('urgent');
    await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, byStaff.body.id)))[0]);
    const staffRead = await stack.http.get(`/v1/tickets/${byStaff.body.id}`).expect(200);
    expect(staffRead.body.fields).not.toHaveProperty('requestedPriority');
    expect(Date.parse(byStaff.body.deadlines.first_response)).toBeLessThan(Date.parse(mine.body.deadlines.first_response));
  });

  it('000: a version the legacy rule cannot read is refused at the opening, not at every escalation after', async () => {
    const customer = await stack.customer({ id: uid('st'), policies: ['smartertools-standard'] });
    const open = (productVersion: string) =>
      stack.http.post('/v1/tickets').send({
        customerId: customer,
        requesterEmail: 'admin@acme.test',
        subject: 'Spam filter drops mail',
        fields: { product: 'SmarterMail', productVersion },
      });
    const refused = await open('SmarterMail 16.3').expect(422);
    expect(refused.body).toMatchObject({
      code: 'missing_ticket_fields',
      errors: [{ path: 'body.fields.productVersion', message: 'Installed version must be a build number such as 100.0.9000 or 16.3.6830' }],
    });
    expect(await stack.db.db.select().from(tickets).where(eq(tickets.customerId, customer))).toEqual([]);
    const legacy = await open('16.3.6830').expect(201);
    await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, legacy.body.id)))[0]);
    const escalate = await stack.http.post(`/v1/tickets/${legacy.body.id}/escalate`).send({ agent: 'lead', summary: 'Bug in filter' });
    expect(escalate.status).toBe(409);
    expect(escalate.body.code).toBe('legacy_version');
  });

  it('002: a reseller’s own priority does not decide, the policy’s phrase still does', async () => {
    const reseller = uid('reseller-pr');
    const customer = await stack.customer({
      id: uid('end'),
      policies: ['emetrotel-premium-plus'],
      resellerId: reseller,
      contacts: [{ name: 'Reseller NOC', email: 'noc@reseller.test' }],
    });
    const asReseller = authed(stack.app, await stack.key('reseller', reseller));
    const send = (subject: string) =>
      asReseller.post('/v1/tickets').send({
        customerId: customer,
        requesterEmail: 'noc@reseller.test',
        subject,
        description: 'Since 9:00',
        priority: 'urgent',
        fields: emetrotelFields,
      });
    const plain = await send('Voicemail greeting garbled');
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    expect(plain.body.priority).toBe('normal');
    const down = await send('Emergency – System Down').expect(201);
    expect(down.body.priority).toBe('urgent');
  });
});

describe('lifecycle through the API', () => {
  it('001: sends a periodic status update at the interval unless staff already wrote in that interval', async () => {
    const customer = await stack.customer({ policies: ['fast-periodic'] });
    const res = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'p@c.test', subject: 'Slow reports', policyId: 'fast-periodic' })
      .expect(201);
    const id: string = res.body.id;
    const first = await stack.mail.waitFor((m) => m.subject === `[${id}] Status update`);
    const firstAt = first[0]!.receivedAt;
    expect(firstAt - Date.parse(res.body.openedAt)).toBeGreaterThanOrEqual(3000);
    // A staff reply restarts the interval: no automated update for the next 3 s.
    const repliedAt = Date.now();
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Still on it' }).expect(200);
    const second = await stack.mail.waitFor((m) => m.subject === `[${id}] Status update`, 2);
    expect(second[1]!.receivedAt - repliedAt).toBeGreaterThanOrEqual(2900);
    const events = await stack.db.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, 'periodic_update')));
    expect(events.length).toBeGreaterThanOrEqual(2);
  });

  it('after closing, a customer reply starts a follow-up ticket linked to the closed one', async () => {
    const customer = await stack.customer({ policies: ['fast-close'] });
    const res = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'f@c.test', subject: 'Login fails', policyId: 'fast-close' })
      .expect(201);
    const id: string = res.body.id;
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Reset done' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(200);
    const closed = await stack.http.post(`/v1/tickets/${id}/close`).send({ agent: 'bob' }).expect(200);
    expect(closed.body.status).toBe('closed');
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'late' }).expect(409);
    const follow = await stack.http.post(`/v1/tickets/${id}/replies`).send({ message: 'It broke again' }).expect(201);
    expect(follow.body.followUpOf).toBe(id);
    const row = await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, follow.body.id)))[0]);
    expect(row).toMatchObject({ parentTicketId: id, customerId: customer, description: 'It broke again' });
  });

  it('a closed ticket ends its run (no reopen timer); a reopen inside the window starts a new run from where it closed', async () => {
    const customer = await stack.customer({ policies: ['fast-close'] });
    const res = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'r@c.test', subject: 'Export fails', policyId: 'fast-close' })
      .expect(201);
    const id: string = res.body.id;
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Try again' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/close`).send({ agent: 'bob' }).expect(200);
    const handle = stack.client.workflow.getHandle(ticketWorkflowId(id));
    const closedRun = await waitFor(async () => ((await handle.describe()).status.name === 'COMPLETED' ? handle.describe() : undefined));
    // Completed at once, although its reopen window runs for another hour: no timer waits for its end.
    expect(Date.parse(res.body.openedAt) + 3_600_000).toBeGreaterThan((closedRun.closeTime ?? new Date()).getTime());

    // Refusals come from the domain as the running workflow gave them, and start nothing.
    const again = await stack.http.post(`/v1/tickets/${id}/close`).send({ agent: 'bob' }).expect(409);
    expect(again.body.code).toBe('already_closed');
    const phone = await stack.http.post(`/v1/tickets/${id}/phone-message`).send({ message: 'Call me', callbackPhone: '+15555550100' });
    expect(phone.status).toBe(409);
    expect(phone.body.code).toBe('ticket_closed');
    expect((await handle.describe()).runId).toBe(closedRun.runId);

    const reopened = await stack.http.post(`/v1/tickets/${id}/reopen`).send({ agent: 'bob' }).expect(200);
    expect(reopened.body.status).not.toBe('closed');
    const run = await handle.describe();
    expect(run.runId).not.toBe(closedRun.runId);
    expect(run.status.name).toBe('RUNNING');
    const row = await waitFor(async () => {
      const [r] = await stack.db.db.select().from(tickets).where(eq(tickets.id, id));
      return r && r.status !== 'closed' ? r : undefined;
    });
    expect(row.status).toBe(reopened.body.status);
    const events = await stack.db.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id));
    expect(events.map((e) => e.kind).filter((k) => k === 'reopen')).toHaveLength(1);
    // The new run carries the ticket on: it resolves and closes again, and its run ends with it.
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/close`).send({ agent: 'bob' }).expect(200);
    await waitFor(async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined));
  });

  it('refuses a reopen of a closed ticket once its window has passed, with the reason', async () => {
    const customer = await stack.customer({ policies: ['fast-reopen'] });
    const res = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'w@c.test', subject: 'Slow sync', policyId: 'fast-reopen' })
      .expect(201);
    const id: string = res.body.id;
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Done' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/close`).send({ agent: 'bob' }).expect(200);
    await new Promise((r) => setTimeout(r, 2_500));
    const late = await stack.http.post(`/v1/tickets/${id}/reopen`).send({ agent: 'bob' }).expect(409);
    expect(late.body.code).toBe('reopen_window_passed');
  });

  it('000: staff downgrade a non-emergency emergency ticket, which records the refund and mails the customer', async () => {
    // No Maintenance and Support contract: the emergency ticket is bought with the request (000).
    const customer = await stack.customer({ vendorId: 'smartertools' });
    const res = await stack.http
      .post('/v1/tickets')
      .send({
        customerId: customer,
        requesterEmail: 'e@c.test',
        subject: 'Question about licences',
        policyId: 'smartertools-emergency',
        paymentReference: `pay-${customer}`,
        fields: { product: 'SmarterMail', productVersion: '100.0.9000' },
      })
      .expect(201);
    const id: string = res.body.id;
    expect(res.body.coveredBy).toEqual({ kind: 'paid' });
    expect(Date.parse(res.body.deadlines.first_response) - Date.parse(res.body.openedAt)).toBe(3_600_000);
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'oncall', message: 'This is a licensing question' }).expect(200);
    const down = await stack.http.post(`/v1/tickets/${id}/downgrade`).send({ agent: 'oncall', reason: 'licensing question' }).expect(200);
    expect(down.body).toMatchObject({ emergency: 'downgraded', policyId: 'smartertools-standard' });
    const refund = await waitFor(
      async () =>
        (
          await stack.db.db
            .select()
            .from(ticketEvents)
            .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, 'refund')))
        )[0],
    );
    expect(refund.data).toMatchObject({ amountMinor: 34_900, currency: 'USD' });
    await stack.mail.waitFor((m) => m.subject === `[${id}] Emergency fee refunded`);
    await stack.http.post(`/v1/tickets/${id}/downgrade`).send({ agent: 'oncall', reason: 'again' }).expect(409);
  });

  it('003: staff resolve a request on an excluded topic as out of scope; the mail offers the policy’s paid alternatives', async () => {
    // What a client shows before the customer writes: the policy's exclusions and alternatives.
    const premium = (await stack.http.get('/v1/policies/mailup-premium').expect(200)).body;
    expect(premium.scopeExclusions.topics.map((t: { id: string }) => t.id)).toContain('strategy');
    expect(premium.scopeExclusions.alternatives).toEqual(['Pre-Paid Hours', 'Full Service', 'Delivery+ Package']);

    const customer = await stack.customer({ policies: ['mailup-standard'] });
    const openedFrom = new Date(Date.now() - 60_000).toISOString();
    const res = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'm@c.test', subject: 'Our newsletter template breaks in Outlook' })
      .expect(201);
    const id: string = res.body.id;
    const resolve = (body: Record<string, unknown>) => stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', ...body });
    // "strategy" is excluded by Premium, not by Standard: the ticket's own policy decides.
    const notExcluded = await resolve({ resolution: 'out_of_scope', topic: 'strategy' }).expect(422);
    expect(notExcluded.body).toMatchObject({ code: 'topic_not_excluded' });
    expect(notExcluded.body.detail).toContain('html_code');
    const unnamed = await resolve({ resolution: 'out_of_scope' }).expect(422);
    expect(unnamed.body).toMatchObject({ code: 'topic_not_excluded', detail: expect.stringContaining('html_code') });
    expect((await resolve({ resolution: 'solution', topic: 'html_code' }).expect(422)).body.code).toBe('topic_not_excluded');

    const done = await resolve({ resolution: 'out_of_scope', topic: 'html_code' }).expect(200);
    expect(done.body.status).toBe('resolved');
    const [mail] = await stack.mail.waitFor((m) => m.subject === `[${id}] Outside the included support`);
    expect(mail?.to).toEqual(['m@c.test']);
    expect(mail?.text).toContain('Your request concerns HTML code, which is outside the support included in your plan');
    expect(mail?.text).toContain('the following options are available: Pre-Paid Hours, Full Service and Delivery+ Package.');

    // Like a solution, the resolution stops the resolution clock in time: met, not breached.
    const to = new Date(Date.now() + 60_000).toISOString();
    const report = await stack.http.get(`/v1/reports/sla?from=${openedFrom}&to=${to}&customerId=${customer}`).expect(200);
    expect(report.body.rows.find((r: { clock: string }) => r.clock === 'resolution_first_level')).toMatchObject({
      count: 1,
      met: 1,
      breached: 0,
    });
  });
});

describe('bounded history', () => {
  it('continues as new when the server suggests it, carrying state; no periodic update is sent twice', async () => {
    const policies = presetPolicyStore({ 'fast-tick': fastPolicy('fast-tick', { firstResponse: 3600, periodic: 0.4 }) });
    const local = await startStack({ policies });
    try {
      const customer = await local.customer({ policies: ['fast-tick'] });
      const res = await local.http
        .post('/v1/tickets')
        .send({ customerId: customer, requesterEmail: 'can@c.test', subject: 'Chatty', policyId: 'fast-tick' })
        .expect(201);
      const id: string = res.body.id;
      await local.http.post(`/v1/tickets/${id}/priority`).send({ agent: 'lead', priority: 'high' }).expect(200);
      const handle = local.client.workflow.getHandle(`ticket-${id}`);
      const firstRun = (await handle.describe()).runId;
      await waitFor(async () => ((await handle.describe()).runId !== firstRun ? true : undefined), 60_000);
      const view = await local.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Still here' }).expect(200);
      expect(view.body).toMatchObject({ priority: 'high', status: 'answered' });
      const updates = local.mail.messages.filter((m) => m.subject === `[${id}] Status update`);
      expect(new Set(updates.map((m) => m.messageId)).size).toBe(updates.length);
      const events = await local.db.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, 'periodic_update')));
      // Mail lags its event by at most the one or two updates in flight.
      expect(Math.abs(events.length - updates.length)).toBeLessThanOrEqual(2);
      expect(local.mail.messages.filter((m) => m.subject === `[${id}] We received your request: Chatty`)).toHaveLength(1);
    } finally {
      await local.stop();
    }
  });

  it("a run opened with commits 'local' continues as new committing one change at a time ('serial')", async () => {
    const fast = fastPolicy('fast-tick', { firstResponse: 3600, periodic: 0.4 });
    const local = await startStack({ policies: presetPolicyStore({ [fast.id]: fast }) });
    try {
      const customerId = await local.customer({ policies: [fast.id] });
      const input = ticketInput('smartwork-emea', Date.now(), {
        policy: fast,
        policies: { [fast.id]: fast },
        tier: fast.id,
        customerId,
        commits: 'local',
      });
      const first = await local.client.workflow.start(ticketWorkflow, {
        workflowId: ticketWorkflowId(input.ticketId),
        taskQueue: local.taskQueue,
        args: [input],
      });
      const handle = local.client.workflow.getHandle(first.workflowId);
      await waitFor(async () => ((await handle.describe()).runId !== first.firstExecutionRunId ? true : undefined), 60_000);
      const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
      const next = fromPayloadsAtIndex<OpenTicketInput>(defaultPayloadConverter, 0, started?.input?.payloads);
      expect(next.commits).toBe('serial');
      expect(next.resume?.state.status).toBe('new');
      await handle.terminate('test over');
    } finally {
      await local.stop();
    }
  });
});
