import { WithStartWorkflowOperation } from '@temporalio/client';
import { decide, type RefusalCode } from '../domain/ticket/core';
import {
  ticketActions,
  ticketWorkflowId,
  type TicketActionArgs,
  type TicketActionName,
  type TicketView,
} from '../../workflows/ticket/contract';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { lastRun, nextRunOptions, type RestartDeps } from './restart-ticket';

export type ClosedTicketOutcome =
  /** The last run did not end with the ticket closed (cancelled, terminated, failed): staff restart it. */
  | { kind: 'not_closed' }
  | { kind: 'refused'; code: RefusalCode; reason: string }
  /** A customer's message on a closed ticket belongs to a follow-up ticket. */
  | { kind: 'follow_up' }
  | { kind: 'acted'; view: TicketView };

/**
 * A ticket's run ends when it closes (issue 16: no timer kept open for the reopen window). What is asked
 * of it afterwards is decided on the state it closed with, by the same decide() the workflow applies, so
 * the answer is the one the running workflow gave before: a refusal with the domain's code, a follow-up
 * for the customer's message, and for a reopen inside the window a new run from that state with the
 * reopen as its first update. Update-with-start hands the update to the new run's first task, before
 * the run could see a closed ticket and end again; a concurrent reopen that started it first gets the
 * update refused by that run (not_resolved).
 */
export async function actOnClosedTicket<K extends TicketActionName>(
  deps: RestartDeps,
  ticketId: string,
  name: K,
  arg: TicketActionArgs[K],
  updateId?: string,
): Promise<ClosedTicketOutcome> {
  const handle = deps.client.workflow.getHandle(ticketWorkflowId(ticketId));
  const described = await handle.describe();
  if (described.status.name !== 'COMPLETED') return { kind: 'not_closed' };
  const { input, snapshot } = await lastRun(deps.client, handle);
  if (snapshot.state.status !== 'closed') return { kind: 'not_closed' };
  const decl = ticketActions[name];
  const d = decide(snapshot.state, decl.toAction(arg), (deps.now ?? Date.now)());
  if (!d.ok) return { kind: 'refused', code: d.code, reason: d.reason };
  if (d.outcome === 'follow_up') return { kind: 'follow_up' };
  const startWorkflowOperation = new WithStartWorkflowOperation(ticketWorkflow, {
    ...nextRunOptions(deps, input, snapshot, `Reopened ${ticketId} (closed before)`),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  const view = await deps.client.workflow.executeUpdateWithStart(decl.update, {
    args: [arg],
    startWorkflowOperation,
    ...(updateId ? { updateId } : {}),
  });
  return { kind: 'acted', view };
}
