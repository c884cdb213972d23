import type { Client, WorkflowHandle } from '@temporalio/client';
import { fromPayloadsAtIndex, type SearchAttributePair } from '@temporalio/common';
import { DomainError } from '../domain/errors';
import { CustomerIdKey, SupportTierKey, ticketSearchAttributes } from '../../workflows/search-attributes';
import {
  TICKET_TASK_QUEUE,
  ticketQuery,
  ticketSnapshotQuery,
  ticketWorkflowId,
  type MachineSnapshot,
  type OpenTicketInput,
} from '../../workflows/ticket/contract';
import { TicketMachine } from '../../workflows/ticket/ticket-machine';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';

export interface RestartDeps {
  client: Client;
  taskQueue?: string;
  now?: () => number;
}

/** The last run's input (from its first event) and the state it ended with (a query replays it). */
export async function lastRun(client: Client, handle: WorkflowHandle): Promise<{ input: OpenTicketInput; snapshot: MachineSnapshot }> {
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const input = fromPayloadsAtIndex<OpenTicketInput>(client.options.loadedDataConverter.payloadConverter, 0, started?.input?.payloads);
  const snapshot = TicketMachine.restored(await handle.query(ticketSnapshotQuery));
  return { input, snapshot };
}

/**
 * How a new run of a ticket's workflow starts from the last one's state: its attributes are given at
 * the start (they cost no upsert there), and it commits as every new ticket does.
 */
export function nextRunOptions(
  deps: RestartDeps,
  input: OpenTicketInput,
  snapshot: MachineSnapshot,
  summary: string,
  restartedAt?: number,
) {
  const { restartedAt: _r, ...rest } = input;
  const args: [OpenTicketInput] = [
    {
      ...rest,
      resume: snapshot,
      commits: 'serial',
      endsAtClose: true,
      secondLevelOwnPromise: true,
      ...(restartedAt !== undefined ? { restartedAt } : {}),
    },
  ];
  return {
    workflowId: ticketWorkflowId(input.ticketId),
    taskQueue: deps.taskQueue ?? TICKET_TASK_QUEUE,
    args,
    staticSummary: summary,
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
  };
}

/**
 * Staff bring back a ticket whose workflow ended without closing it (an operator cancelled or terminated
 * it, or it failed): a new run of the same workflow id starts from the last run's state, read by
 * replaying that run. A closed ticket or a running one is refused.
 */
export async function restartTicket(deps: RestartDeps, ticketId: string) {
  const handle = deps.client.workflow.getHandle(ticketWorkflowId(ticketId));
  const described = await handle.describe();
  if (described.status.name === 'RUNNING') throw new DomainError('ticket_running', `Ticket ${ticketId}'s workflow is running.`);
  if (described.status.name === 'COMPLETED') {
    throw new DomainError('ticket_finished', `Ticket ${ticketId} is closed; there is nothing to restart.`);
  }
  const { input, snapshot } = await lastRun(deps.client, handle);
  const restartedAt = (deps.now ?? Date.now)();
  const summary = `Restarted ${ticketId} (${described.status.name.toLowerCase()} before)`;
  const next = await deps.client.workflow.start(ticketWorkflow, {
    ...nextRunOptions(deps, input, snapshot, summary, restartedAt),
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return next.query(ticketQuery);
}
