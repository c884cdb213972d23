import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ticketEvents, tickets } from '../../src/db/schema';
import type { TicketTerms } from '../../src/tickets/ticket-terms';
import { ticketWorkflowId } from '../../workflows/ticket/contract';
import { startStack, type Stack } from '../support/stack';

const terms: TicketTerms = {
  resolve: (policyId, _priority, openedAt) =>
    policyId === 'unknown'
      ? { ok: false, code: 'unknown_policy', reason: `No policy ${policyId}.` }
      : { ok: true, policyId, policyVersion: 1, tier: 'standard', displayZone: 'UTC', firstResponseDueAt: openedAt + 3_000 },
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ terms });
});
afterAll(async () => {
  await stack?.stop();
});

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ticket vertical slice on the real dev server, PostgreSQL and SMTP', () => {
  it('opens a ticket: 201 with deadline, row written, acknowledgment mailed, resolved by update, 409 after', async () => {
    const res = await request(stack.app)
      .post('/v1/tickets')
      .send({ customerId: 'acme', requesterEmail: 'ann@acme.test', subject: 'Mail server down', priority: 'high', policyId: 'p1' })
      .expect(201);
    const id: string = res.body.id;
    expect(Date.parse(res.body.deadlines.firstResponse) - Date.parse(res.body.openedAt)).toBe(3_000);

    const row = await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.id, id)))[0]);
    expect(row.customerId).toBe('acme');
    expect(row.status).toBe('new');

    const ack = await stack.mail.waitFor((m) => m.subject.includes(id));
    expect(ack[0]?.to).toEqual(['ann@acme.test']);

    const got = await request(stack.app).get(`/v1/tickets/${id}`).expect(200);
    expect(got.body).toMatchObject({ id, status: 'new', customerId: 'acme' });

    const ok = await request(stack.app).post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' });
    expect(ok.body, JSON.stringify(ok.body)).toMatchObject({ status: 'resolved' });
    const again = await request(stack.app).post(`/v1/tickets/${id}/resolve`).send({ agent: 'bob', resolution: 'solution' }).expect(409);
    expect(again.body).toMatchObject({ status: 409 });
    expect(again.headers['content-type']).toContain('application/problem+json');

    const resolved = await request(stack.app).get(`/v1/tickets/${id}`).expect(200);
    expect(resolved.body.status).toBe('resolved');
  });

  it('fires the first-response breach at the deadline and records it once', async () => {
    const res = await request(stack.app)
      .post('/v1/tickets')
      .send({ customerId: 'acme', requesterEmail: 'ann@acme.test', subject: 'Nobody answers', policyId: 'p1' })
      .expect(201);
    const id: string = res.body.id;
    const due = Date.parse(res.body.deadlines.firstResponse);
    const breach = await waitFor(async () => (await stack.db.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id))).find((e) => e.kind === 'breach'));
    expect(breach.at.getTime()).toBe(due);
    const desc = await stack.client.workflow.getHandle(ticketWorkflowId(id)).describe();
    expect(desc.searchAttributes.SlaBreached).toEqual([true]);
  });

  it('answers 422 with field errors and starts nothing on bad input; 404 for unknown tickets', async () => {
    const bad = await request(stack.app).post('/v1/tickets').send({ customerId: '', requesterEmail: 'nope', subject: 'x', policyId: 'p1', extra: 1 }).expect(422);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.customerId', 'body.requesterEmail']));
    await request(stack.app).post('/v1/tickets').set('content-type', 'application/json').send('{"oops"').expect(400);
    await request(stack.app).get('/v1/tickets/T-NOPE').expect(404);
  });
});
