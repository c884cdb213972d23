import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { SlaBreachedKey, SlaStateKey, TicketStatusKey } from '../search-attributes';
import {
  InvalidTransitionError,
  type OpenTicketInput,
  type RespondInput,
  type ResolveInput,
  respondUpdate,
  resolveUpdate,
  SlaState,
  ticketQuery,
  TicketStatus,
  type TicketView,
} from './contract';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

function reject(reason: string): never {
  throw ApplicationFailure.create({ type: InvalidTransitionError, message: reason, nonRetryable: true });
}

export async function ticketWorkflow(input: OpenTicketInput): Promise<TicketView> {
  const view: TicketView = {
    ticketId: input.ticketId,
    customerId: input.customerId,
    status: TicketStatus.New,
    slaState: SlaState.Ok,
    priority: input.priority,
    openedAt: input.openedAt,
    firstResponseDueAt: input.firstResponseDueAt,
    version: 0,
  };

  const record = async () => {
    view.version += 1;
    await acts.recordTicket({
      ticketId: view.ticketId,
      workflowId: workflowInfo().workflowId,
      customerId: view.customerId,
      policyId: input.policyId,
      policyVersion: input.policyVersion,
      priority: view.priority,
      status: view.status,
      slaState: view.slaState,
      subject: input.subject,
      description: input.description,
      requesterEmail: input.requesterEmail,
      deadlines: { firstResponse: new Date(view.firstResponseDueAt).toISOString() },
      openedAt: view.openedAt,
      firstRespondedAt: view.firstRespondedAt,
      resolvedAt: view.resolvedAt,
      version: view.version,
      at: Date.now(),
    });
    upsertSearchAttributes([
      { key: TicketStatusKey, value: view.status },
      { key: SlaStateKey, value: view.slaState },
      { key: SlaBreachedKey, value: view.slaState === SlaState.Breached },
    ]);
  };

  setHandler(ticketQuery, () => view);
  setHandler(
    respondUpdate,
    async (req) => {
      if (view.firstRespondedAt === undefined) view.firstRespondedAt = Date.now();
      view.status = TicketStatus.Answered;
      await acts.recordTicketEvent({ ticketId: view.ticketId, eventKey: `respond:${Date.now()}`, kind: 'responded', at: Date.now(), data: { agent: req.agent } });
      await record();
      return view;
    },
    {
      validator: (_req: RespondInput) => {
        if (view.status === TicketStatus.Resolved) reject('cannot respond to a resolved ticket; reopen it first');
      },
    },
  );
  setHandler(
    resolveUpdate,
    async (req) => {
      view.status = TicketStatus.Resolved;
      view.resolvedAt = Date.now();
      await acts.recordTicketEvent({ ticketId: view.ticketId, eventKey: 'resolved', kind: 'resolved', at: view.resolvedAt, data: { agent: req.agent, resolution: req.resolution } });
      await record();
      return view;
    },
    {
      validator: (_req: ResolveInput) => {
        if (view.status === TicketStatus.Resolved) reject('ticket is already resolved');
      },
    },
  );

  await record();
  await acts.recordTicketEvent({ ticketId: view.ticketId, eventKey: 'opened', kind: 'opened', at: view.openedAt });
  await acts.sendEmail({
    dedupeKey: `ticket:${view.ticketId}:ack`,
    to: input.requesterEmail,
    subject: `[${view.ticketId}] We received your request: ${input.subject}`,
    text: `Your ticket ${view.ticketId} is open. First response due ${new Date(view.firstResponseDueAt).toISOString()}.`,
  });

  const answered = await condition(
    () => view.firstRespondedAt !== undefined || view.status === TicketStatus.Resolved,
    Math.max(0, view.firstResponseDueAt - Date.now()),
    { summary: `first response due ${new Date(view.firstResponseDueAt).toISOString()}` },
  );
  if (!answered) {
    view.slaState = SlaState.Breached;
    await acts.recordTicketEvent({ ticketId: view.ticketId, eventKey: 'breach:first_response', kind: 'breach', at: view.firstResponseDueAt, data: { clock: 'first_response', firedAt: Date.now() } });
    await record();
  }
  await condition(() => view.status === TicketStatus.Resolved);
  await condition(allHandlersFinished);
  return view;
}
