import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { emailOutbox, ticketEvents, tickets } from '../../src/db/schema';
import { presetPolicyStore } from '../../src/tickets/policy-store';
import { ticketWorkflowId } from '../../workflows/ticket/contract';
import { fastPolicy } from '../support/policies';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const store = presetPolicyStore({
  'fast-3s': fastPolicy('fast-3s', { firstResponse: 3 }),
  slow: fastPolicy('slow', { firstResponse: 3600 }),
});

let stack: Stack;
/** A customer of its own: no subscription left behind by another test file decides this one's entitlement. */
const customerId = `acme-${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  stack = await startStack({ policies: store });
  await stack.customer({ id: customerId, policies: ['slow', 'fast-3s'] });
});
afterAll(async () => {
  await stack?.stop();
});

const open = (body: Record<string, unknown>) =>
  stack.http
    .post('/v1/tickets')

    .send({ customerId, requesterEmail: 'ann@acme.test', subject: 'Mail server down', ...body });

describe('ticket vertical slice on the real dev server, PostgreSQL and SMTP', () => {
  it('opens a ticket: 201 with deadline, row written, acknowledgment mailed, resolved by update, 409 after', async () => {
    const res = await open({ policyId: 'slow', priority: 'high' }).expect(201);
    const id: string = res.body.id;
    expect(Date.parse(res.body.deadlines.first_response) - Date.parse(res.body.openedAt)).toBe(3600_000);

    const row = await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, id)))[0]);
    expect(row).toMatchObject({ customerId, status: 'new', priority: 'high', policyId: 'slow' });

    const ack = await stack.mail.waitFor((m) => m.subject.includes(id));
    expect(ack[0]?.to).toEqual(['ann@acme.test']);

    const got = await stack.http.get(`/v1/tickets/${id}`).expect(200);
    expect(got.body).toMatchObject({ id, status: 'new', customerId });

    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Looking into it' }).expect(200);
    const ok = await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'resolved' });
    const again = await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(409);
    expect(again.body).toMatchObject({ status: 409, code: 'already_resolved' });
    expect(again.body.detail).toMatch(/resolved/);
    expect(again.headers['content-type']).toContain('application/problem+json');

    const resolved = await stack.http.get(`/v1/tickets/${id}`).expect(200);
    expect(resolved.body.status).toBe('resolved');
    // The reply comes from the person who wrote it, in the ticket's thread (issue 15, item 4).
    const [reply] = await stack.mail.waitFor((m) => m.subject === `[${id}] Re: Mail server down`);
    expect(reply?.text).toContain('bob wrote:\n\nLooking into it');
  });

  it('fires the first-response breach at the deadline: one row, one mail to the team lead, search attribute flipped', async () => {
    const res = await open({ policyId: 'fast-3s', subject: 'Nobody answers' }).expect(201);
    const id: string = res.body.id;
    const due = Date.parse(res.body.deadlines.first_response);
    const breach = await waitFor(
      async () =>
        (
          await stack.db.db
            .select()
            .from(ticketEvents)
            .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, 'breach')))
        )[0],
    );
    expect(breach.at.getTime()).toBe(due);
    expect((breach.data.firedAt as number) - due).toBeGreaterThanOrEqual(0);
    const mails = await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}] SLA breach`));
    expect(mails.map((m) => m.to[0])).toEqual(['lead@vendor.test']);
    const warning = await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}] SLA warning`));
    expect(warning).toHaveLength(1);
    await waitFor(async () =>
      (await stack.client.workflow.getHandle(ticketWorkflowId(id)).describe()).searchAttributes.SlaBreached?.[0] === true
        ? true
        : undefined,
    );
    const outbox = await stack.db.db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.dedupeKey, `ticket:${id}:breach:first_response:${Date.parse(res.body.openedAt)}:lead`));
    expect(outbox).toHaveLength(1);
  });

  it('records each change in one activity with its mail, keeps the timer an action did not move, upserts only changed attributes', async () => {
    const res = await open({ policyId: 'slow', subject: 'Cost per change' }).expect(201);
    const id: string = res.body.id;
    await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}] We received your request`));
    await stack.http
      .post(`/v1/tickets/${id}/assign`)
      .send({ agent: 'lead', assignee: 'bob', assigneeEmail: 'bob@vendor.test' })
      .expect(200);
    await stack.mail.waitFor((m) => m.subject === `[${id}] Ticket assigned to you`);
    const kinds = async () => {
      const events = (await stack.client.workflow.getHandle(ticketWorkflowId(id)).fetchHistory()).events ?? [];
      const count = (name: string) => events.filter((e) => e[name as keyof typeof e]).length;
      const first = (name: string) => events.findIndex((e) => e[name as keyof typeof e]);
      return {
        // A change commits as a local activity (a marker), except the opening: its activity task lets the
        // first workflow task complete at once, so the first deadline is armed before the commit runs.
        activities: count('activityTaskScheduledEventAttributes'),
        armedBeforeCommitted: first('timerStartedEventAttributes') < first('activityTaskCompletedEventAttributes'),
        localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
        timersStarted: count('timerStartedEventAttributes'),
        timersCancelled: count('timerCanceledEventAttributes'),
        upserts: count('upsertWorkflowSearchAttributesEventAttributes'),
      };
    };
    // Opening and assigning: the start carried the attributes, assigning moved no deadline and no attribute.
    expect(await kinds()).toEqual({
      activities: 1,
      armedBeforeCommitted: true,
      localActivities: 1,
      timersStarted: 1,
      timersCancelled: 0,
      upserts: 0,
    });

    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'On it' }).expect(200);
    await stack.mail.waitFor((m) => m.subject === `[${id}] Re: Cost per change`);
    const after = await kinds();
    expect(after).toMatchObject({ activities: 1, localActivities: 2 });
    // The first response stopped: its timer gives way to the next deadline's, and the status attribute moves once.
    expect(after).toMatchObject({ timersStarted: 2, timersCancelled: 1, upserts: 1 });
    const d = await stack.client.workflow.getHandle(ticketWorkflowId(id)).describe();
    expect(d.searchAttributes.TicketStatus).toEqual([(await stack.http.get(`/v1/tickets/${id}`).expect(200)).body.status]);
    const sent = await stack.db.db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.dedupeKey, `ticket:${id}:ack`));
    expect(sent).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });

  it('answers 422 with field errors and starts nothing on bad input; 404 for unknown tickets', async () => {
    const bad = await stack.http
      .post('/v1/tickets')
      .send({ customerId: '', requesterEmail: 'nope', subject: 'x', policyId: 'fast-3s', extra: 1 })
      .expect(422);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.customerId', 'body.requesterEmail']),
    );
    await stack.http.post('/v1/tickets').set('content-type', 'application/json').send('{"oops"').expect(400);
    await stack.http.get('/v1/tickets/T-NOPE').expect(404);
    // The customer's name comes from its record; what the record does not know, the reseller must say.
    const emetrotel = await stack.customer({ policies: ['emetrotel-standard'] });
    const missing = await open({ customerId: emetrotel }).expect(422);
    expect(missing.body.code).toBe('missing_ticket_fields');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).not.toContain('body.fields.endCustomerName');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.fields.systemType', 'body.fields.hostId', 'body.fields.softwareRelease', 'body.fields.callScenario']),
    );
    const rows = await stack.db.db.select().from(tickets).where(eq(tickets.customerId, emetrotel));
    expect(rows).toHaveLength(0);
  });
});
