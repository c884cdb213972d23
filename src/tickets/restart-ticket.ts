import type { Client } from '@temporalio/client';
import { fromPayloadsAtIndex, type SearchAttributePair } from '@temporalio/common';
import { DomainError } from '../domain/errors';
import { CustomerIdKey, SupportTierKey, ticketSearchAttributes } from '../../workflows/search-attributes';
import {
  TICKET_TASK_QUEUE,
  ticketQuery,
  ticketSnapshotQuery,
  ticketWorkflowId,
  type OpenTicketInput,
} from '../../workflows/ticket/contract';
import { TicketMachine } from '../../workflows/ticket/ticket-machine';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';

/**
 * Staff bring back a ticket whose workflow ended without closing it (an operator cancelled or terminated
 * it, or it failed): a new run of the same workflow id starts from the last run's state, read by
 * replaying that run. A closed ticket or a running one is refused.
 */
export async function restartTicket(deps: { client: Client; taskQueue?: string; now?: () => number }, ticketId: string) {
  const handle = deps.client.workflow.getHandle(ticketWorkflowId(ticketId));
  const described = await handle.describe();
  if (described.status.name === 'RUNNING') throw new DomainError('ticket_running', `Ticket ${ticketId}'s workflow is running.`);
  if (described.status.name === 'COMPLETED') {
    throw new DomainError('ticket_finished', `Ticket ${ticketId} is closed; there is nothing to restart.`);
  }
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const input = fromPayloadsAtIndex<OpenTicketInput>(deps.client.options.loadedDataConverter.payloadConverter, 0, started?.input?.payloads);
  const snapshot = TicketMachine.restored(await handle.query(ticketSnapshotQuery));
  const restartedAt = (deps.now ?? Date.now)();
  const { restartedAt: _r, ...rest } = input;
  const next = await deps.client.workflow.start(ticketWorkflow, {
    workflowId: ticketWorkflowId(ticketId),
    taskQueue: deps.taskQueue ?? TICKET_TASK_QUEUE,
    args: [{ ...rest, resume: snapshot, restartedAt, commits: 'local' }],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    staticSummary: `Restarted ${ticketId} (${described.status.name.toLowerCase()} before)`,
    memo: { customerId: input.customerId, ...(input.resellerId ? { resellerId: input.resellerId } : {}) },
    typedSearchAttributes: [
      { key: CustomerIdKey, value: input.customerId },
      { key: SupportTierKey, value: input.tier },
      ...ticketSearchAttributes({
        status: snapshot.state.status,
        priority: snapshot.state.priority,
        slaState: snapshot.slaState,
        nextDeadline: null,
      }).filter((a): a is SearchAttributePair => a.value !== null),
    ],
  });
  return next.query(ticketQuery);
}
