import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';

/**
 * Whether the workflow behind an open ticket or a subscription still runs: anything else (cancelled,
 * terminated, failed, gone) is shown to staff as needing a restart.
 */
export async function workflowStatusOf(handle: WorkflowHandle): Promise<{ workflowStatus: string; needsRestart: boolean }> {
  const d = await handle.describe().catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  });
  const workflowStatus = d ? d.status.name.toLowerCase() : 'missing';
  return { workflowStatus, needsRestart: workflowStatus !== 'running' };
}
