import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { ticketEvents } from '../../src/db/schema';
import { ticketWorkflowId, type OpenTicketInput } from '../../workflows/ticket/contract';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { CustomerIdKey } from '../../workflows/search-attributes';
import { startTimeSkippingStack, type SkippingStack } from '../support/time-skipping';

let s: SkippingStack;
beforeAll(async () => {
  s = await startTimeSkippingStack();
});
afterAll(async () => {
  await s?.stop();
});

describe('deadlines on the time-skipping test server', () => {
  it('fires a first-response breach 8 hours away at its exact instant, in seconds of wall time', async () => {
    const ticketId = `TS-${randomUUID().slice(0, 8)}`;
    const openedAt = Date.now();
    const due = openedAt + 8 * 3600_000;
    const input: OpenTicketInput = {
      ticketId,
      customerId: 'acme',
      requesterEmail: 'ann@acme.test',
      subject: 'slow',
      description: '',
      priority: 'normal',
      policyId: 'p',
      policyVersion: 1,
      openedAt,
      firstResponseDueAt: due,
      tier: 'standard',
      displayZone: 'UTC',
    };
    const wallStart = Date.now();
    const handle = await s.env.client.workflow.start(ticketWorkflow, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue: s.taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: CustomerIdKey, value: 'acme' }],
    });
    await s.env.sleep(8 * 3600_000 + 60_000);
    const [breach] = await s.db.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, 'breach')));
    expect(breach?.at.getTime()).toBe(due);
    const firedAt = breach?.data.firedAt as number;
    expect(firedAt).toBeGreaterThanOrEqual(due);
    expect(firedAt - due).toBeLessThan(1000);
    expect(Date.now() - wallStart).toBeLessThan(60_000);
    const view = await handle.query('ticket');
    expect(view).toMatchObject({ slaState: 'breached' });
  });
});
