import { ActivityFailure, ApplicationFailure, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { PERMANENT_FAILURES } from './failure-types';
import { NeedsAttentionKey } from './search-attributes';

/**
 * Runs an effect; one refused for good (bad data, a recipient the server refuses) must not loop or end
 * the workflow: it is recorded where an operator looks (NeedsAttention, the current details) and the
 * workflow goes on with its timers. Anything else is rethrown.
 */
export class RefusedEffects {
  readonly refused: string[] = [];

  async guard(what: string, run: () => Promise<unknown>, details: () => string): Promise<void> {
    try {
      await run();
    } catch (err) {
      // A local activity's failure reaches the workflow as the activity's own ApplicationFailure, unwrapped.
      const cause = err instanceof ActivityFailure ? err.cause : err;
      if (!(cause instanceof ApplicationFailure) || !PERMANENT_FAILURES.includes(cause.type ?? '')) throw err;
      this.note(what, cause.message, details);
    }
  }

  /** An effect an activity reported refused without failing (a mail refused after its change was recorded). */
  note(what: string, message: string, details: () => string): void {
    this.refused.push(`${what}: ${message}`);
    upsertSearchAttributes([{ key: NeedsAttentionKey, value: true }]);
    setCurrentDetails(details());
  }

  /** The lines an operator reads under the workflow's own details. */
  lines(): string[] {
    return this.refused.length ? ['', '**Needs attention**', ...this.refused.map((r) => `- ${r}`)] : [];
  }
}
