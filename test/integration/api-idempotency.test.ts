import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys, tickets } from '../../src/db/schema';
import { ticketWorkflowId } from '../../workflows/ticket/contract';
import { authed, startStack, type Http, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

let stack: Stack;
let customer: Http;
const customerId = `idem-${randomUUID().slice(0, 8)}`;
const body = { requesterEmail: 'ann@example.test', subject: 'Mail bounces', policyId: 'mailup-standard' };

beforeAll(async () => {
  stack = await startStack();
  await stack.customer({ id: customerId, policies: ['mailup-standard'] });
  customer = authed(stack.app, await stack.key('customer', customerId));
});
afterAll(async () => {
  await stack?.stop();
});

/** Workflows of this test's customer as Temporal's visibility sees them (eventually consistent). */
async function workflowIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of stack.client.workflow.list({ query: `CustomerId = "${customerId}" AND WorkflowType = "ticketWorkflow"` }))
    ids.push(wf.workflowId);
  return ids.sort();
}

describe('Idempotency-Key', () => {
  it('replays the same ticket for a retried POST and starts one workflow; a different body answers 422', async () => {
    const key = randomUUID();
    const first = await customer.post('/v1/tickets').set('Idempotency-Key', key).send(body).expect(201);
    const retry = await customer
      .post('/v1/tickets')
      .set('Idempotency-Key', key)
      .send({ ...body })
      .expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(`/v1/tickets/${first.body.id}`);
    expect(retry.headers['idempotent-replayed']).toBe('true');

    const changed = await customer
      .post('/v1/tickets')
      .set('Idempotency-Key', key)
      .send({ ...body, subject: 'Something else' })
      .expect(422);
    expect(changed.body).toMatchObject({ code: 'idempotency_key_reused' });

    // Another key with the same Idempotency-Key is another client: its own ticket.
    const otherKey = authed(stack.app, await stack.key('customer', customerId));
    const other = await otherKey.post('/v1/tickets').set('Idempotency-Key', key).send(body).expect(201);
    expect(other.body.id).not.toBe(first.body.id);

    const rows = await stack.db.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.idempotencyKey, key));
    expect(rows.map((r) => r.status)).toEqual([201, 201]);
    expect(await waitFor(async () => ((await workflowIds()).length === 2 ? workflowIds() : undefined))).toEqual(
      [ticketWorkflowId(first.body.id), ticketWorkflowId(other.body.id)].sort(),
    );
  });

  it('runs one of five concurrent duplicates; the others wait and replay its ticket', async () => {
    const key = randomUUID();
    const before = (await workflowIds()).length;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        customer
          .post('/v1/tickets')
          .set('Idempotency-Key', key)
          .send({ ...body, subject: 'Concurrent' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(results.map((r) => r.body.id as string));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    const [id] = [...ids];
    await waitFor(async () => ((await workflowIds()).length === before + 1 ? true : undefined));
    const rows = await waitFor(async () => {
      const r = await stack.db.db
        .select()
        .from(tickets)
        .where(and(eq(tickets.customerId, customerId), eq(tickets.subject, 'Concurrent')));
      return r.length ? r : undefined;
    });
    expect(rows.map((r) => r.id)).toEqual([id]);
  });

  it('uses the key as the Temporal update id: a retried action is applied once, even when the replay row is gone', async () => {
    const opened = await stack.http
      .post('/v1/tickets')
      .send({ ...body, customerId })
      .expect(201);
    const id: string = opened.body.id;
    const key = randomUUID();
    const respond = () => stack.http.post(`/v1/tickets/${id}/respond`).set('Idempotency-Key', key).send({ agent: 'bob', message: 'On it' });
    const first = await respond().expect(200);
    // Lose the stored reply, as if the first attempt's response and row were lost: Temporal still dedupes.
    await stack.db.db.delete(idempotencyKeys).where(eq(idempotencyKeys.idempotencyKey, key));
    const again = await respond().expect(200);
    expect(again.body.version).toBe(first.body.version);
    const history = await stack.client.workflow.getHandle(ticketWorkflowId(id)).fetchHistory();
    const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toHaveLength(1);
  });

  it('derives the ticket id from the key, so a lost replay row answers the same ticket instead of opening a second', async () => {
    const key = randomUUID();
    const first = await customer
      .post('/v1/tickets')
      .set('Idempotency-Key', key)
      .send({ ...body, subject: 'Lost row' })
      .expect(201);
    await stack.db.db.delete(idempotencyKeys).where(eq(idempotencyKeys.idempotencyKey, key));
    const again = await customer
      .post('/v1/tickets')
      .set('Idempotency-Key', key)
      .send({ ...body, subject: 'Lost row' })
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(`/v1/tickets/${first.body.id}`);
    const started = await stack.client.workflow.list({ query: `WorkflowId = '${ticketWorkflowId(first.body.id)}'` });
    let runs = 0;
    for await (const _ of started) runs++;
    expect(runs).toBe(1);
  });

  it('takes over a claim whose reply was never stored once its request deadline has passed', async () => {
    const key = randomUUID();
    const first = await customer
      .post('/v1/tickets')
      .set('Idempotency-Key', key)
      .send({ ...body, subject: 'Stuck claim' })
      .expect(201);
    // As if PostgreSQL went down after the workflow started: the claim stays open, with no reply. Its
    // time is PostgreSQL's own, to the microsecond, as a real claim's is (a JavaScript Date has only
    // milliseconds, and a take-over that compared the two never matched: chaos CI, 2026-12-04).
    await stack.db.db
      .update(idempotencyKeys)
      .set({ status: null, response: null, createdAt: sql`now() - interval '20.123456 seconds'` })
      .where(eq(idempotencyKeys.idempotencyKey, key));
    const again = await customer
      .post('/v1/tickets')
      .set('Idempotency-Key', key)
      .send({ ...body, subject: 'Stuck claim' })
      .expect(201);
    expect(again.body).toEqual(first.body);
  });

  it('refuses a malformed key and remembers nothing for refused requests', async () => {
    const bad = await customer.post('/v1/tickets').set('Idempotency-Key', 'x'.repeat(256)).send(body).expect(422);
    expect(bad.body.errors[0].path).toBe('headers.Idempotency-Key');
    const key = randomUUID();
    // A policy the customer did not buy is refused before anything starts.
    const refused = await customer
      .post('/v1/tickets')
      .set('Idempotency-Key', key)
      .send({ ...body, policyId: 'nope' })
      .expect(422);
    expect(refused.body.code).toBe('policy_not_in_contract');
    expect(await stack.db.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.idempotencyKey, key))).toEqual([]);
    // So is a customer without any contract (409, the vendor's advice): nothing remembered either.
    const uncovered = await stack.customer({ policies: [] });
    const notEntitled = await stack.http
      .post('/v1/tickets')
      .set('Idempotency-Key', key)
      .send({ ...body, policyId: undefined, customerId: uncovered })
      .expect(409);
    expect(notEntitled.body).toMatchObject({ code: 'not_entitled', detail: expect.stringContaining('maintenance agreement') });
    expect(await stack.db.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.idempotencyKey, key))).toEqual([]);
  });
});
