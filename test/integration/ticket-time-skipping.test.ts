import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { addBusinessTime, businessTimeBetween } from '../../src/domain/calendar/index';
import { calendarForPolicy } from '../../src/domain/ticket/index';
import { ticketEvents } from '../../src/db/schema';
import * as c from '../../workflows/ticket/contract';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { CustomerIdKey } from '../../workflows/search-attributes';
import { startTimeSkippingStack, type SkippingStack } from '../support/time-skipping';
import { at, ticketInput } from '../support/ticket-input';

let s: SkippingStack;
beforeAll(async () => {
  s = await startTimeSkippingStack();
});
afterAll(async () => {
  await s?.stop();
});

/** Moves the test server's clock to `instant` (time skipping), then opens the ticket there. */
async function openAt(input: c.OpenTicketInput) {
  const now = (await s.env.currentTimeMs()) as number;
  // The server's clock only moves forward: each test opens its ticket later than the previous one did.
  if (input.openedAt < now) throw new Error(`test instant ${new Date(input.openedAt).toISOString()} is in the test server's past`);
  await s.env.sleep(input.openedAt - now);
  return s.env.client.workflow.start(ticketWorkflow, {
    workflowId: c.ticketWorkflowId(input.ticketId),
    taskQueue: s.taskQueue,
    args: [input],
    typedSearchAttributes: [{ key: CustomerIdKey, value: input.customerId }],
  });
}

async function breaches(ticketId: string) {
  return s.db.db
    .select()
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, 'breach')));
}

async function skipTo(instant: number) {
  const now = (await s.env.currentTimeMs()) as number;
  if (instant > now) await s.env.sleep(instant - now);
}

describe('seed SLAs on the time-skipping test server, fired at the exact instant', () => {
  it('000: an emergency ticket opened at 03:00 on 25 December is due 04:00; answered and mitigated, it continues on business hours', async () => {
    const input = ticketInput('smartertools-emergency', at('2026-12-25T03:00', 'America/Phoenix'), {
      fields: { product: 'SmarterMail', productVersion: '100.0.9000' },
    });
    const h = await openAt(input);
    expect((await h.query(c.ticketQuery)).deadlines.first_response).toBe(new Date(at('2026-12-25T04:00', 'America/Phoenix')).toISOString());
    await skipTo(at('2026-12-25T03:40', 'America/Phoenix'));
    await h.executeUpdate(c.respondUpdate, { args: [{ agent: 'oncall', message: 'On it' }] });
    const mitigated = await h.executeUpdate(c.markMitigatedUpdate, { args: [{ agent: 'oncall' }] });
    expect(mitigated).toMatchObject({ status: 'mitigated', policyId: 'smartertools-standard', emergency: 'mitigated' });
    await skipTo(at('2026-12-25T04:05', 'America/Phoenix'));
    expect(await breaches(input.ticketId)).toHaveLength(0);
  });

  it('001: an EMEA ticket opened the evening before a Bavarian holiday (Epiphany) is due after it', async () => {
    const input = ticketInput('smartwork-emea', at('2027-01-05T17:00', 'Europe/Berlin'), {
      fields: { description: 'Export fails with error 42 on every run', softwareVersion: '4.2.1', technicalContact: 'Max' },
    });
    const h = await openAt(input);
    const view = await h.query(c.ticketQuery);
    // normal: 8 business hours; 1 h left on 5 Jan, 6 Jan is a holiday in Bavaria, 7 h on 7 Jan from 10:00.
    expect(view.deadlines.first_response).toBe(new Date(at('2027-01-07T17:00', 'Europe/Berlin')).toISOString());
  });

  it('003: a MailUp ticket opened Friday 12:30 is due Friday 17:30 (lunch 13-14 skipped); the breach fires then', async () => {
    const input = ticketInput('mailup-standard', at('2027-01-15T12:30', 'Europe/Rome'));
    const h = await openAt(input);
    const view = await h.query(c.ticketQuery);
    expect(view.deadlines.first_response).toBe(new Date(at('2027-01-15T17:30', 'Europe/Rome')).toISOString());
    const wall = Date.now();
    await skipTo(at('2027-01-15T17:31', 'Europe/Rome'));
    const [b] = await breaches(input.ticketId);
    expect(b?.at.getTime()).toBe(at('2027-01-15T17:30', 'Europe/Rome'));
    // Timers are relative, so the breach lands the few milliseconds the worker took to arm it after the deadline.
    expect(b?.data.firedAt as number).toBeGreaterThanOrEqual(at('2027-01-15T17:30', 'Europe/Rome'));
    expect(b?.data.firedAt as number).toBeLessThan(at('2027-01-15T17:30:01', 'Europe/Rome'));
    expect(Date.now() - wall).toBeLessThan(30_000);
    const mails = await s.mail.waitFor((m) => m.subject.startsWith(`[${input.ticketId}] SLA breach`));
    expect(mails[0]?.text).toContain('Fri 15 Jan 2027 17:30 Europe/Rome');
  });

  it('pausing on waiting-for-customer moves the resolution deadline by exactly the paused business time', async () => {
    const input = ticketInput('mailup-standard', at('2027-01-18T09:00', 'Europe/Rome'));
    const h = await openAt(input);
    expect((await h.query(c.ticketQuery)).deadlines.resolution).toBe(new Date(at('2027-01-18T18:00', 'Europe/Rome')).toISOString());
    await skipTo(at('2027-01-18T10:00', 'Europe/Rome'));
    await h.executeUpdate(c.requestInfoUpdate, { args: [{ agent: 'bob', message: 'Which version?' }] });
    expect((await h.query(c.ticketQuery)).deadlines.resolution).toBeUndefined();
    await skipTo(at('2027-01-19T10:00', 'Europe/Rome'));
    await h.executeUpdate(c.customerReplyUpdate, { args: [{ message: 'Version 9' }] });
    // Paused Mon 10:00-13:00, 14:00-18:00 and Tue 09:00-10:00: 8 business hours, so Mon 18:00 becomes Tue 18:00,
    // give or take the milliseconds the server took to deliver each update.
    const events = await s.db.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, input.ticketId));
    const pausedAt = events.find((e) => e.kind === 'request_info')!.at.getTime();
    const resumedAt = events.find((e) => e.kind === 'customer_reply')!.at.getTime();
    const cal = calendarForPolicy(input.policy);
    const paused = businessTimeBetween(cal, pausedAt, resumedAt);
    expect(
      Math.abs(paused - 8 * 3600_000),
      `paused ${new Date(pausedAt).toISOString()} to ${new Date(resumedAt).toISOString()}`,
    ).toBeLessThan(1000);
    const due = Date.parse((await h.query(c.ticketQuery)).deadlines.resolution!);
    expect(due).toBe(addBusinessTime(cal, input.openedAt, 8 * 3600_000 + paused));
    // Compared in business time: a few milliseconds past Tue 18:00 fall on Wednesday's opening.
    expect(Math.abs(businessTimeBetween(cal, at('2027-01-19T18:00', 'Europe/Rome'), due))).toBeLessThan(1000);
  });

  it('000: legacy versions get response only: escalation to development is refused with the reason', async () => {
    const input = ticketInput('smartertools-emergency', at('2027-02-01T10:00', 'America/Phoenix'), {
      product: { product: 'SmarterMail', version: '16.3' },
    });
    const h = await openAt(input);
    await h.executeUpdate(c.respondUpdate, { args: [{ agent: 'oncall', message: 'Looking' }] });
    const err = await h.executeUpdate(c.escalateUpdate, { args: [{ agent: 'oncall', summary: 'bug' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause?.message).toMatch(/SmarterMail 16/);
  });

  it('003: escalation opens a development ticket due when the customer’s 4 working days end; progress and fix flow back', async () => {
    const input = ticketInput('mailup-standard', at('2027-03-01T09:00', 'Europe/Rome'));
    const h = await openAt(input);
    await h.executeUpdate(c.respondUpdate, { args: [{ agent: 'bob', message: 'Reproduced' }] });
    await skipTo(at('2027-03-01T09:30', 'Europe/Rome'));
    const escalated = await h.executeUpdate(c.escalateUpdate, { args: [{ agent: 'bob', summary: 'Crash on import' }] });
    expect(escalated).toMatchObject({ status: 'escalated', resolutionLevel: 'second', devTicketOpen: true });
    const dev = s.env.client.workflow.getHandle(c.devTicketWorkflowId(input.ticketId));
    const devView = await dev.query(c.devTicketQuery);
    // 4 working days of 8 h from the opening, Mon 09:00, on the 9-13/14-18 calendar: Thursday 18:00, the
    // customer's own deadline (4 working days from the escalation would be Friday 09:30).
    expect(Date.parse(escalated.deadlines.resolution!)).toBe(at('2027-03-04T18:00', 'Europe/Rome'));
    expect(Date.parse(devView.dueAt!)).toBe(at('2027-03-04T18:00', 'Europe/Rome'));
    await s.mail.waitFor((m) => m.to.includes('dev@vendor.test') && m.subject.includes(`${input.ticketId}-DEV`));
    await dev.executeUpdate(c.devProgressUpdate, { args: [{ engineer: 'eve', note: 'Root cause found' }] });
    await s.mail.waitFor((m) => m.subject === `[${input.ticketId}] Update from development` && m.text.includes('Root cause found'));
    await dev.executeUpdate(c.devResolveUpdate, { args: [{ engineer: 'eve', note: 'Fixed in 9.1' }] });
    await s.mail.waitFor((m) => m.subject === `[${input.ticketId}] Development has fixed the issue`);
    const after = await h.query(c.ticketQuery);
    expect(after.devTicketOpen).toBe(false);
  });

  it('resolved tickets close automatically after the policy period, and the history replays deterministically', async () => {
    const input = ticketInput('mailup-standard', at('2027-04-05T09:00', 'Europe/Rome'));
    const h = await openAt(input);
    await h.executeUpdate(c.respondUpdate, { args: [{ agent: 'bob', message: 'Fixed config' }] });
    const resolved = await h.executeUpdate(c.resolveUpdate, { args: [{ agent: 'bob', resolution: 'workaround' }] });
    expect(resolved.autoCloseAt).toBeDefined();
    await skipTo(Date.parse(resolved.reopenUntil!) + 60_000);
    const final = await h.result();
    expect(final.status).toBe('closed');
    expect(Date.parse(final.closedAt!) - Date.parse(resolved.autoCloseAt!)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(final.closedAt!) - Date.parse(resolved.autoCloseAt!)).toBeLessThan(1000);
    const history = await h.fetchHistory();
    await Worker.runReplayHistory(
      { workflowBundle: { code: (await import('vitest')).inject('workflowCode') } },
      history,
      c.ticketWorkflowId(input.ticketId),
    );
  });
  it('a priority change keeps the time already used and counts the rest on the new target', async () => {
    const input = ticketInput('smartwork-emea', at('2027-05-03T10:00', 'Europe/Berlin'), {
      fields: { description: 'Export fails with error 42 on every run', softwareVersion: '4.2.1', technicalContact: 'Max' },
    });
    const h = await openAt(input);
    expect((await h.query(c.ticketQuery)).deadlines.first_response).toBe(new Date(at('2027-05-03T18:00', 'Europe/Berlin')).toISOString());
    await skipTo(at('2027-05-03T11:00', 'Europe/Berlin'));
    const changed = await h.executeUpdate(c.changePriorityUpdate, { args: [{ agent: 'lead', priority: 'urgent' }] });
    // 1 of urgent's 2 business hours is used: due 12:00, give or take the update's delivery.
    expect(Math.abs(Date.parse(changed.deadlines.first_response!) - at('2027-05-03T12:00', 'Europe/Berlin'))).toBeLessThan(1000);
    await skipTo(at('2027-05-03T12:01', 'Europe/Berlin'));
    const [b] = await breaches(input.ticketId);
    expect(b?.at.toISOString()).toBe(changed.deadlines.first_response);
    await s.mail.waitFor(
      (m) => m.subject === `[${input.ticketId}] Priority changed to urgent` && m.text.includes('Mon 3 May 2027 12:00 Europe/Berlin'),
    );
  });

  it('an admin policy change recomputes a running ticket: used time stays used, the remainder counts on the new terms', async () => {
    const input = ticketInput('smartwork-emea', at('2027-05-10T10:00', 'Europe/Berlin'), {
      fields: { description: 'Export fails with error 42 on every run', softwareVersion: '4.2.1', technicalContact: 'Max' },
    });
    const h = await openAt(input);
    await skipTo(at('2027-05-10T11:00', 'Europe/Berlin'));
    const normal = input.policy.priorities.normal!;
    const v2 = {
      ...input.policy,
      version: 2,
      priorities: { ...input.policy.priorities, normal: { ...normal, firstResponse: { ms: 4 * 3600_000, clock: 'business' as const } } },
    };
    const changed = await h.executeUpdate(c.changePolicyUpdate, { args: [{ policy: v2 }] });
    expect(changed.policyVersion).toBe(2);
    expect(Math.abs(Date.parse(changed.deadlines.first_response!) - at('2027-05-10T14:00', 'Europe/Berlin'))).toBeLessThan(1000);
  });

  it('000: a resolved emergency that the customer answers at night continues in business hours, not on the 24/7 hour', async () => {
    const phx = (local: string) => at(local, 'America/Phoenix');
    const input = ticketInput('smartertools-emergency', phx('2027-06-01T01:00'), {
      fields: { product: 'SmarterMail', productVersion: '100.0.9000' },
    });
    const h = await openAt(input);
    await skipTo(phx('2027-06-01T01:20'));
    await h.executeUpdate(c.respondUpdate, { args: [{ agent: 'oncall', message: 'Service restarted' }] });
    await h.executeUpdate(c.resolveUpdate, { args: [{ agent: 'oncall', resolution: 'solution' }] });
    await skipTo(phx('2027-06-02T02:00'));
    const replied = await h.executeUpdate(c.customerReplyUpdate, { args: [{ message: 'One more question' }] });
    // The critical issue was addressed by the resolution: urgent standard support, 2 business hours from 08:00.
    expect(replied).toMatchObject({ status: 'in_progress', policyId: 'smartertools-standard', emergency: 'mitigated', priority: 'urgent' });
    expect(replied.deadlines.next_reply).toBe(new Date(phx('2027-06-02T10:00')).toISOString());
    await skipTo(phx('2027-06-02T03:05'));
    expect(await breaches(input.ticketId)).toHaveLength(0);
    await Worker.runReplayHistory(
      { workflowBundle: { code: (await import('vitest')).inject('workflowCode') } },
      await h.fetchHistory(),
      c.ticketWorkflowId(input.ticketId),
    );
    await h.terminate('test over');
  });
});
