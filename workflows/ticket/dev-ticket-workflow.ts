import { ApplicationFailure, CancellationScope, condition, getExternalWorkflowHandle, isCancellation, proxyActivities, setHandler, workflowInfo, allHandlersFinished } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { describeDue, instantAfter, resolutionTarget } from '../../src/domain/ticket/core';
import { sandboxCalendar } from './calendars';
import * as c from './contract';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * The internal development ticket (seed 001 step 3): assigned to the development team, with its own
 * second-level target (003: 4 working days); progress and the fix flow back to the customer ticket.
 */
export async function devTicketWorkflow(input: c.DevTicketInput): Promise<c.DevTicketView> {
  const calendar = sandboxCalendar(input.calendars, input.policy);
  const target = resolutionTarget(input.policy, input.priority, 'second');
  const view: c.DevTicketView = {
    ticketId: input.ticketId,
    status: 'open',
    breached: false,
    notes: [],
    ...(target ? { dueAt: instantAfter(target, calendar, input.openedAt) } : {}),
  };
  const devId = `${input.ticketId}-DEV`;
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  const record = (key: string, kind: string, at: number, data: Record<string, unknown>) => acts.recordTicketEvent({ ticketId: devId, eventKey: key, kind, at, data });
  const open = () => {
    if (view.status !== 'open') throw ApplicationFailure.create({ type: c.InvalidTransitionError, message: `the development ticket is ${view.status}`, nonRetryable: true });
  };

  setHandler(c.devTicketQuery, () => view);
  setHandler(
    c.devProgressUpdate,
    async ({ engineer, note }) => {
      const now = Date.now();
      view.notes.push({ at: now, engineer, note });
      await record(`progress:${view.notes.length}`, 'dev_progress', now, { engineer, note });
      await parent.signal(c.devProgressSignal, { engineer, note });
      return view;
    },
    { validator: (_: { engineer: string; note: string }) => open() },
  );
  setHandler(
    c.devResolveUpdate,
    async ({ engineer, note }) => {
      const now = Date.now();
      view.status = 'resolved';
      await record('resolved', 'dev_resolved', now, { engineer, note });
      await parent.signal(c.devResolvedSignal, { engineer, note });
      return view;
    },
    { validator: (_: { engineer: string; note: string }) => open() },
  );

  const zone = input.policy.zone;
  await record('opened', 'dev_opened', input.openedAt, { parent: input.ticketId, dueAt: view.dueAt });
  await acts.sendEmail({
    dedupeKey: `ticket:${devId}:opened`,
    to: input.devTeamEmail,
    subject: `[${devId}] Development ticket for ${input.ticketId}: ${input.summary}`,
    text: `Customer ${input.customerId} reported: ${input.summary}\n${view.dueAt ? describeDue('second-level resolution', view.dueAt, zone) : 'No second-level resolution target.'}\n`,
  });
  try {
    if (view.dueAt !== undefined) {
      const done = await condition(() => view.status !== 'open', Math.max(0, view.dueAt - Date.now()), { summary: describeDue('second-level resolution', view.dueAt, zone) });
      if (!done) {
        view.breached = true;
        await record('breach', 'breach', view.dueAt, { clock: 'resolution_second_level', firedAt: Date.now() });
        await acts.sendEmail({ dedupeKey: `ticket:${devId}:breach`, to: input.devTeamEmail, subject: `[${devId}] SLA breach: second-level resolution missed`, text: `${describeDue('second-level resolution', view.dueAt, zone)} has passed.\n` });
      }
    }
    await condition(() => view.status !== 'open');
  } catch (err) {
    if (!isCancellation(err)) throw err;
    view.status = 'cancelled';
    await CancellationScope.nonCancellable(() => record('cancelled', 'dev_cancelled', Date.now(), { workflowId: workflowInfo().workflowId }));
  }
  await condition(allHandlersFinished);
  return view;
}
