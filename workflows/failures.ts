import { ApplicationFailure } from '@temporalio/workflow';
import type { RefusalCode as SubscriptionRefusalCode } from '../src/domain/subscription';
import type { RefusalCode as TicketRefusalCode } from '../src/domain/ticket/core';

/** Refusals that only the workflows raise, beside the domains' own. */
export type WorkflowRefusalCode = 'dev_ticket_not_open' | 'claim_in_future' | 'version_conflict';

export type RefusalCode = TicketRefusalCode | SubscriptionRefusalCode | WorkflowRefusalCode;

/**
 * The one way a workflow refuses: the failure's type is the domain's snake_case code (the API answers it
 * as `code`), its message the human sentence; non-retryable, since asking again cannot change the answer.
 */
export function refuse(code: RefusalCode, reason: string): never {
  throw ApplicationFailure.create({ type: code, message: reason, nonRetryable: true, details: [{ code }] });
}
