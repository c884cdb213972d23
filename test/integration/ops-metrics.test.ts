import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { ticketEvents } from '../../src/db/schema';
import { presetPolicyStore } from '../../src/tickets/policy-store';
import { fastPolicy } from '../support/policies';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

/** Issue 17, item 3: what operators alert on, scraped from /metrics with a staff key. */
const policyId = `metrics-${randomUUID().slice(0, 6)}`;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ policies: presetPolicyStore({ [policyId]: fastPolicy(policyId, { firstResponse: 2 }) }) });
});
afterAll(async () => {
  await stack?.stop();
});

/** The value of one sample, by metric name and exact label set (as rendered). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operational metrics', () => {
  it('count warnings and breaches by policy and clock, open tickets by SLA state, breach lateness and mail', async () => {
    const customer = await stack.customer({ policies: [policyId] });
    const before = (await stack.http.get('/metrics').expect(200)).text;
    const lateBefore = sample(before, 'supportflow_breach_lateness_seconds_count') ?? 0;
    const res = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'ops@acme.test', subject: 'Metrics', policyId })
      .expect(201);
    const id: string = res.body.id;
    await waitFor(async () => {
      const [row] = await stack.db.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, 'breach')));
      return row;
    });
    const text = (await stack.http.get('/metrics').expect(200)).text;
    expect(text).toContain('# TYPE supportflow_sla_breaches_total counter');
    expect(sample(text, `supportflow_sla_breaches_total{policy="${policyId}",clock="first_response"}`)).toBe(1);
    expect(sample(text, `supportflow_sla_warnings_total{policy="${policyId}",clock="first_response"}`)).toBe(1);
    expect(sample(text, `supportflow_open_tickets{sla_state="breached",policy="${policyId}"}`)).toBe(1);
    expect(sample(text, 'supportflow_breach_lateness_seconds_count')).toBeGreaterThan(lateBefore);
    expect(sample(text, 'supportflow_breach_lateness_seconds_bucket{le="+Inf"}')).toBe(
      sample(text, 'supportflow_breach_lateness_seconds_count'),
    );
    expect(sample(text, 'supportflow_mails{status="sent"}')).toBeGreaterThan(0);
    expect(sample(text, 'supportflow_workflows_needing_attention')).toBeGreaterThanOrEqual(0);

    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'Ana', message: 'Late, sorry' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);
    await waitFor(async () => {
      const t = (await stack.http.get('/metrics').expect(200)).text;
      return sample(t, `supportflow_open_tickets{sla_state="breached",policy="${policyId}"}`) === undefined ? true : undefined;
    });
  });
});
