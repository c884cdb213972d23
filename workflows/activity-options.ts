import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
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
