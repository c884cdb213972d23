import type { Client } from '@temporalio/client';
import { DomainError } from '../domain/errors';
import { CustomerIdKey, SubscriptionStatusKey, SupportTierKey } from '../../workflows/search-attributes';
import {
  SUBSCRIPTION_TASK_QUEUE,
  subscriptionCarryQuery,
  subscriptionQuery,
  subscriptionWorkflowId,
} from '../../workflows/subscription/contract';
import { subscriptionWorkflow } from '../../workflows/subscription/subscription-workflow';

/**
 * A subscription's workflow never ends by itself (it continues as new each term): one that ended was
 * cancelled, terminated or failed, and a new run resumes from what the ended run would have carried on.
 */
export async function restartSubscription(deps: { client: Client; taskQueue?: string }, subscriptionId: string) {
  const handle = deps.client.workflow.getHandle(subscriptionWorkflowId(subscriptionId));
  const described = await handle.describe();
  if (described.status.name === 'RUNNING') {
    throw new DomainError('subscription_running', `Subscription ${subscriptionId}'s workflow is running.`);
  }
  const carried = await handle.query(subscriptionCarryQuery);
  const next = await deps.client.workflow.start(subscriptionWorkflow, {
    workflowId: subscriptionWorkflowId(subscriptionId),
    taskQueue: deps.taskQueue ?? SUBSCRIPTION_TASK_QUEUE,
    args: [carried],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    staticSummary: `Restarted subscription ${subscriptionId} (${described.status.name.toLowerCase()} before)`,
    typedSearchAttributes: [
      { key: CustomerIdKey, value: carried.state.customerId },
      { key: SupportTierKey, value: carried.state.tier },
      { key: SubscriptionStatusKey, value: carried.state.status },
    ],
  });
  return next.query(subscriptionQuery);
}
