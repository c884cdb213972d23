import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BaselineActivities } from '../harness/baseline-activities';

// The ticket workflow's activity options (workflows/activity-options.ts), so retries cost the same on both sides.
const { insertBaselineRow } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * The least a durable workflow can do that still looks like opening a ticket: one activity that writes one
 * row, then a timer it waits on (the ticket's first-response deadline). The benchmark's floor for the
 * ticket's start-to-acknowledgment figure.
 */
export async function baselineWorkflow(id: string): Promise<void> {
  await insertBaselineRow(id);
  await sleep('1 hour');
}
