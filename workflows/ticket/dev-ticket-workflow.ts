import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { EmailMessage } from '../../activities/mail-activities';
import { acts, localActs } from '../activity-options';
import { refuse } from '../failures';
import { describeDue, instantAfter, resolutionTarget } from '../../src/domain/ticket/core';
import { sandboxCalendar } from './calendars';
import * as c from './contract';

/**
 * The internal development ticket (seed 001 step 3): assigned to the development team, with its own
 * second-level target (003: 4 working days); progress and the fix flow back to the customer ticket.
 */
export async function devTicketWorkflow(input: c.DevTicketInput): Promise<c.DevTicketView> {
  const calendar = sandboxCalendar(input.calendars, input.policy);
  const target = resolutionTarget(input.policy, input.priority, 'second');
  const dueAt = input.dueAt ?? (target ? instantAfter(target, calendar, input.openedAt) : undefined);
  const view: c.DevTicketView = {
    ticketId: input.ticketId,
    status: 'open',
    breached: false,
    notes: [],
    ...(dueAt !== undefined ? { dueAt: new Date(dueAt).toISOString() } : {}),
  };
  const devId = `${input.ticketId}-DEV`;
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  // The customer ticket may be over (closed, its workflow ended) while development still works: the
  // development record stands on its own, and there is simply nobody left to tell.
  const tellParent = (signal: typeof c.devProgressSignal, note: c.DevNote) => parent.signal(signal, note).catch(() => undefined);
  const record = (key: string, kind: string, at: number, data: Record<string, unknown>) =>
    acts.recordTicketEvent({ ticketId: devId, eventKey: key, kind, at, data });
  /**
   * A development action's event, and the customer ticket told. Since issue 16 the event rides on the
   * signal and the customer ticket writes it in its own commit; only when the signal cannot be delivered
   * (the customer ticket's run has ended) does development record it itself.
   */
  const reportBack = async (signal: typeof c.devProgressSignal, note: c.DevNote, key: string, kind: string, at: number) => {
    const data = { ...note };
    if (!input.recordsThroughParent) {
      await record(key, kind, at, data);
      await tellParent(signal, note);
      return;
    }
    const event = { ticketId: devId, eventKey: key, kind, at, data };
    const told = await parent.signal(signal, { ...note, record: event }).then(
      () => true,
      () => false,
    );
    if (!told) await acts.recordTicketEvent(event);
  };
  /** The event and its mail: one activity since issue 16, two in the histories of tickets escalated before. */
  const recordAndMail = async (key: string, kind: string, at: number, data: Record<string, unknown>, mail: EmailMessage) => {
    const event = { ticketId: devId, eventKey: key, kind, at, data };
    if (input.commits === 'local' || input.commits === 'serial') return void (await localActs.commitTicketEvent({ event, mails: [mail] }));
    if (input.commits === 'one-step') return void (await acts.commitTicketEvent({ event, mails: [mail] }));
    await acts.recordTicketEvent(event);
    await acts.sendEmail(mail);
  };
  const open = () => {
    if (view.status !== 'open') refuse('dev_ticket_not_open', `the development ticket is ${view.status}`);
  };

  setHandler(c.devTicketQuery, () => view);
  setHandler(
    c.devProgressUpdate,
    async ({ engineer, note }) => {
      const now = Date.now();
      view.notes.push({ at: new Date(now).toISOString(), engineer, note });
      await reportBack(c.devProgressSignal, { engineer, note }, `progress:${view.notes.length}`, 'dev_progress', now);
      return view;
    },
    { validator: (_: { engineer: string; note: string }) => open() },
  );
  setHandler(
    c.devResolveUpdate,
    async ({ engineer, note }) => {
      const now = Date.now();
      view.status = 'resolved';
      await reportBack(c.devResolvedSignal, { engineer, note }, 'resolved', 'dev_resolved', now);
      return view;
    },
    { validator: (_: { engineer: string; note: string }) => open() },
  );

  const zone = input.policy.zone;
  const handOver = {
    ...(input.report !== undefined ? { report: input.report } : {}),
    ...(input.escalation ? { escalation: input.escalation } : {}),
  };
  const due = dueAt !== undefined ? describeDue('second-level resolution', dueAt, zone) : 'No second-level resolution target.';
  const report = input.report ? `\nReport:\n${input.report}\n` : '';
  const note = input.escalation ? `\nEscalated by ${input.escalation.agent}:\n${input.escalation.note}\n` : '';
  await recordAndMail(
    'opened',
    'dev_opened',
    input.openedAt,
    { parent: input.ticketId, dueAt, ...handOver },
    {
      dedupeKey: `ticket:${devId}:opened`,
      to: input.devTeamEmail,
      subject: `[${devId}] Development ticket for ${input.ticketId}: ${input.summary}`,
      text: `Customer ${input.customerId} reported: ${input.summary}\n${due}\n${report}${note}`,
      // The conversation so far, as the outbox renders it once: development reads the customer's own words.
      threadOf: input.ticketId,
    },
  );
  try {
    if (dueAt !== undefined) {
      const done = await condition(() => view.status !== 'open', Math.max(0, dueAt - Date.now()), { summary: due });
      if (!done) {
        view.breached = true;
        await recordAndMail(
          'breach',
          'breach',
          dueAt,
          { clock: 'resolution_second_level', firedAt: Date.now() },
          {
            dedupeKey: `ticket:${devId}:breach`,
            to: input.devTeamEmail,
            subject: `[${devId}] SLA breach: second-level resolution missed`,
            text: `${due} has passed.\n`,
          },
        );
      }
    }
    await condition(() => view.status !== 'open');
  } catch (err) {
    if (!isCancellation(err)) throw err;
    view.status = 'cancelled';
    await CancellationScope.nonCancellable(() =>
      record('cancelled', 'dev_cancelled', Date.now(), { workflowId: workflowInfo().workflowId }),
    );
  }
  await condition(allHandlersFinished);
  return view;
}
