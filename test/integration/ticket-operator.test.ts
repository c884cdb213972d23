import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionEvents, ticketEvents } from '../../src/db/schema';
import { dbPolicyStore } from '../../src/tickets/policy-store';
import { subscriptionWorkflowId } from '../../workflows/subscription/contract';
import { devTicketWorkflowId, ticketWorkflowId } from '../../workflows/ticket/contract';
import { fastPolicy } from '../support/policies';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const { EventType } = proto.temporal.api.enums.v1;

/** What an operator does in the Temporal UI, and how staff recover from it through the API. */
let stack: Stack;
const run = randomUUID().slice(0, 8);
const policyId = `ops-${run}`;

beforeAll(async () => {
  stack = await startStack({ policies: { get: (id) => dbPolicyStore(stack.db.db).get(id) } });
  const { id: _i, version: _v, ...p } = fastPolicy(policyId, { firstResponse: 3600 });
  await stack.http
    .put(`/v1/policies/${policyId}`)
    .send({ ...p, name: 'Operator policy', notifyOnCancellation: true })
    .expect(201);
  // The customer's contract names the stored policy, so it must come after the policy.
  await stack.customer({ id: `c-${run}`, policies: [policyId] });
});
afterAll(async () => {
  await stack?.stop();
});

async function open() {
  const res = await stack.http
    .post('/v1/tickets')
    .send({ customerId: `c-${run}`, requesterEmail: 'ann@example.test', subject: 'Down', policyId })
    .expect(201);
  const id = res.body.id as string;
  await waitFor(async () => ((await stack.http.get(`/v1/tickets/${id}`)).status === 200 ? true : undefined));
  await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Looking' }).expect(200);
  await stack.http.post(`/v1/tickets/${id}/replies`).send({ message: 'Still down' }).expect(200);
  return id;
}

const row = (id: string) => stack.http.get(`/v1/tickets/${id}`).expect(200);

describe('operators’ hands in the Temporal UI', () => {
  it('a cancelled ticket records that it is cancelled, tells the customer, refuses actions, and staff restart it', async () => {
    const id = await open();
    const before = (await row(id)).body;
    expect(before).toMatchObject({ status: 'in_progress', workflowStatus: 'running', needsRestart: false });
    await stack.client.workflow.getHandle(ticketWorkflowId(id)).cancel();

    const cancelled = await waitFor(async () => {
      const r = (await row(id)).body;
      return r.status === 'cancelled' ? r : undefined;
    });
    expect(cancelled.deadlines).toEqual({});
    const events = await stack.db.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, 'cancelled')));
    expect(events).toHaveLength(1);
    await stack.mail.waitFor((m) => m.subject === `[${id}] Ticket cancelled`);
    const refused = await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'x' }).expect(409);
    expect(refused.body.code).toBe('ticket_finished');
    expect(refused.body.detail).toMatch(/cancelled/);

    const restarted = await stack.http.post(`/v1/tickets/${id}/restart`).send({ agent: 'lead' }).expect(200);
    expect(restarted.body.status).toBe('in_progress');
    expect(restarted.body.deadlines.next_reply).toBe(before.deadlines.next_reply);
    await waitFor(async () => ((await row(id)).body.status === 'in_progress' ? true : undefined));
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'bob', message: 'Back' }).expect(200);
    const again = await stack.http.post(`/v1/tickets/${id}/restart`).send({ agent: 'lead' }).expect(409);
    expect(again.body.code).toBe('ticket_running');
  });

  it('a terminated ticket is shown as needing a restart, and resumes from its last state', async () => {
    const id = await open();
    const before = (await row(id)).body;
    await stack.client.workflow.getHandle(ticketWorkflowId(id)).terminate('operator test');
    const shown = (await row(id)).body;
    expect(shown).toMatchObject({ status: 'in_progress', workflowStatus: 'terminated', needsRestart: true });
    const restarted = await stack.http.post(`/v1/tickets/${id}/restart`).send({ agent: 'lead' }).expect(200);
    expect(restarted.body).toMatchObject({ status: 'in_progress' });
    expect(restarted.body.deadlines.next_reply).toBe(before.deadlines.next_reply);
    expect((await row(id)).body).toMatchObject({ workflowStatus: 'running', needsRestart: false });
  });
});

describe('what operators read in the Temporal UI', () => {
  // The SDK's promise hook behind these queries is patched (scripts/patches, issue 16): what it shows must not change.
  it('the stack trace tab shows where a ticket waits, in the source files, not the bundle', async () => {
    const id = await open();
    const handle = stack.client.workflow.getHandle(ticketWorkflowId(id));
    const trace = await handle.query<string>('__stack_trace');
    expect(trace).toMatch(/workflows\/ticket\/deadline-timer\.ts:\d+:\d+/);
    expect(trace).toMatch(/at run \(.*workflows\/ticket\/ticket-workflow\.ts:\d+:\d+\)/);
    expect(trace).not.toMatch(/workflow-bundle/);
    const enhanced = await handle.query<{ stacks: Array<{ locations: Array<{ file_path?: string; function_name?: string }> }> }>(
      '__enhanced_stack_trace',
    );
    const frames = enhanced.stacks.flatMap((s) => s.locations);
    expect(frames).toContainEqual(
      expect.objectContaining({ function_name: 'run', file_path: expect.stringMatching(/ticket-workflow\.ts$/) }),
    );
  });
});

describe('development reports through the customer ticket (issue 16)', () => {
  const devEvents = (id: string) =>
    stack.db.db
      .select()
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, `${id}-DEV`));
  const escalate = async (id: string) => {
    await stack.http.post(`/v1/tickets/${id}/escalate`).send({ agent: 'bob', summary: 'Export bug' }).expect(200);
    await waitFor(async () => ((await devEvents(id)).some((e) => e.kind === 'dev_opened') ? true : undefined));
  };
  const devAction = (id: string, action: 'progress' | 'resolve', note: string) =>
    stack.http.post(`/v1/tickets/${id}/development/${action}`).send({ engineer: 'eve', note }).expect(200);

  it('writes development’s progress and fix in the customer ticket’s commits: no activity of its own', async () => {
    const id = await open();
    await escalate(id);
    await devAction(id, 'progress', 'Found it');
    await devAction(id, 'resolve', 'Fixed in 1.2.3');
    const rows = await waitFor(async () => {
      const r = await devEvents(id);
      return r.some((e) => e.kind === 'dev_resolved') ? r : undefined;
    });
    expect(rows.find((e) => e.kind === 'dev_progress')).toMatchObject({
      eventKey: 'progress:1',
      data: { engineer: 'eve', note: 'Found it' },
    });
    expect(rows.find((e) => e.kind === 'dev_resolved')).toMatchObject({
      eventKey: 'resolved',
      data: { engineer: 'eve', note: 'Fixed in 1.2.3' },
    });
    const customer = await stack.db.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id));
    expect(customer.map((e) => e.kind)).toEqual(expect.arrayContaining(['dev_update', 'dev_resolved']));
    const events = (await stack.client.workflow.getHandle(devTicketWorkflowId(id)).fetchHistory()).events ?? [];
    const types = events.map((e) => e.eventType);
    expect(types).toContain(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED);
    expect(types).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  });

  it('development records its own progress once the customer ticket’s run has ended', async () => {
    const id = await open();
    await escalate(id);
    await stack.client.workflow.getHandle(ticketWorkflowId(id)).terminate('operator test');
    await devAction(id, 'progress', 'Still on it');
    const progress = await waitFor(async () => (await devEvents(id)).find((e) => e.kind === 'dev_progress'));
    expect(progress).toMatchObject({ eventKey: 'progress:1', data: { engineer: 'eve', note: 'Still on it' } });
  });
});

describe('operators’ hands on subscriptions', () => {
  it('a cancelled subscription workflow is recorded and shown as needing a restart; staff restart it on its term', async () => {
    const body = { customerId: `c-${run}`, contactEmail: 'billing@example.test', planId: 'per-user-support', seats: 3, timeZone: 'UTC' };
    const sub = (await stack.http.post('/v1/subscriptions').send(body).expect(201)).body;
    await waitFor(async () => ((await stack.http.get(`/v1/subscriptions/${sub.id}`)).body.workflowStatus === 'running' ? true : undefined));
    await stack.client.workflow.getHandle(subscriptionWorkflowId(sub.id)).cancel();
    const event = await waitFor(async () => {
      const rows = await stack.db.db
        .select()
        .from(subscriptionEvents)
        .where(and(eq(subscriptionEvents.subscriptionId, sub.id), eq(subscriptionEvents.kind, 'workflow-cancelled')));
      return rows[0];
    });
    expect(event.data).toMatchObject({ status: 'active' });
    const shown = await waitFor(async () => {
      const r = (await stack.http.get(`/v1/subscriptions/${sub.id}`).expect(200)).body;
      return r.needsRestart ? r : undefined;
    });
    expect(shown.workflowStatus).toBe('cancelled');
    const restarted = await stack.http.post(`/v1/subscriptions/${sub.id}/restart`).send({}).expect(200);
    expect(restarted.body).toMatchObject({ id: sub.id, status: 'active', termEnd: sub.termEnd });
    expect((await stack.http.get(`/v1/subscriptions/${sub.id}`).expect(200)).body).toMatchObject({ needsRestart: false });
    await stack.http.post(`/v1/subscriptions/${sub.id}/seats`).send({ add: 1 }).expect(200);
    expect((await stack.http.post(`/v1/subscriptions/${sub.id}/restart`).send({}).expect(409)).body.code).toBe('subscription_running');
  });
});
