import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
} from '@temporalio/workflow';
import { acts, withSummary } from '../activity-options';
import { refuse } from '../failures';
import { changePolicySignal, ticketWorkflowId } from '../ticket/contract';
import { policyChangeQuery, policyStoredUpdate, RECOMPUTE_PAGE, type PolicyChangeInput, type PolicyChangeProgress } from './contract';

/**
 * Storing a policy version and bringing every open ticket onto it are one durable operation: once this
 * workflow runs, the version is stored and the walk finishes, whatever happens to the API process. It
 * walks the open tickets page by page and continues as new after each full page, so a fleet of 10,000
 * tickets costs 100 small runs, not one HTTP request.
 */
export async function policyChangeWorkflow(input: PolicyChangeInput): Promise<PolicyChangeProgress> {
  const { policy } = input;
  const progress: PolicyChangeProgress = input.progress ?? { signalled: 0, finished: 0, done: false };
  const pageSize = input.pageSize ?? RECOMPUTE_PAGE;
  let stored = !input.store;
  let conflict: string | undefined;

  setHandler(policyChangeQuery, () => progress);
  setHandler(policyStoredUpdate, async ({ fingerprint }) => {
    if (fingerprint !== input.fingerprint) refuse('version_conflict', `Version ${policy.version} of ${policy.id} holds other terms.`);
    await condition(() => stored || conflict !== undefined);
    if (conflict !== undefined) refuse('version_conflict', conflict);
    return progress;
  });

  if (!stored) {
    try {
      await acts.storePolicyVersion.executeWithOptions(withSummary(`store ${policy.id}@${policy.version}`), [policy]);
      stored = true;
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      if (!(cause instanceof ApplicationFailure) || cause.type !== 'version_conflict') throw err;
      conflict = cause.message;
      await condition(allHandlersFinished);
      return progress;
    }
  }

  const change = { policy, calendars: input.calendars, changeId: `${policy.id}@${policy.version}` };
  for (;;) {
    const page = await acts.openTicketsOfPolicyPage.executeWithOptions(
      withSummary(`open tickets of ${policy.id} after ${progress.afterTicketId ?? 'start'}`),
      [{ policyId: policy.id, ...(progress.afterTicketId ? { afterTicketId: progress.afterTicketId } : {}), limit: pageSize }],
    );
    const sent = await Promise.allSettled(
      page.map((id) => getExternalWorkflowHandle(ticketWorkflowId(id)).signal(changePolicySignal, change)),
    );
    // A ticket whose workflow ended since its row was read has nothing left to recompute.
    progress.signalled += sent.filter((r) => r.status === 'fulfilled').length;
    progress.finished += sent.filter((r) => r.status === 'rejected').length;
    if (page.length) progress.afterTicketId = page[page.length - 1];
    if (page.length < pageSize) break;
    await condition(allHandlersFinished);
    await continueAsNew<typeof policyChangeWorkflow>({ ...input, store: false, progress });
  }
  progress.done = true;
  await condition(allHandlersFinished);
  return progress;
}
