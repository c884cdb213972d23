import { proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';

/**
 * The retry policy of every activity, in one place. Activities write PostgreSQL or hand a mail to SMTP;
 * both heal from outages, so they retry with backoff capped at 30 s. What cannot heal is thrown by the
 * activity as a non-retryable ApplicationFailure and ends the retries at once.
 */
export const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
} as const satisfies ActivityOptions;

export const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/** The same options with a one-line summary, so an operator reads the history without opening payloads. */
export function withSummary(summary: string): ActivityOptions {
  return { ...ACTIVITY_OPTIONS, summary: summary.slice(0, 200) };
}

/**
 * A ticket change's one commit (issue 16) as a local activity, for tickets opened with `commits: 'local'`.
 * The commit is idempotent end to end (keyed rows, outbox-deduplicated mail), so the re-run after a lost
 * worker (a local activity is at least once, like any other) is harmless; it saves the activity task's
 * three history events, a matching round trip and a workflow task. Same retries; past a minute of
 * retrying (an SMTP or PostgreSQL outage) the SDK waits on a timer between attempts.
 */
export const LOCAL_ACTIVITY_OPTIONS = {
  startToCloseTimeout: ACTIVITY_OPTIONS.startToCloseTimeout,
  retry: ACTIVITY_OPTIONS.retry,
} as const satisfies LocalActivityOptions;

export const localActs = proxyLocalActivities<Activities>(LOCAL_ACTIVITY_OPTIONS);

export function withLocalSummary(summary: string): LocalActivityOptions {
  return { ...LOCAL_ACTIVITY_OPTIONS, summary: summary.slice(0, 200) };
}
