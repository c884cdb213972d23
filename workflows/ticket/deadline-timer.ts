import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * The one timer a ticket waits on, kept while its instant stands (issue 16): an action that leaves the
 * next deadline where it was (a note, an assignment) wakes the workflow without cancelling and re-arming
 * it, which would cost a billed action and two history events each time. `await(at)` returns the timer
 * to wait on: this one when `at` is unchanged, else a new one (the old one cancelled).
 */
export class DeadlineTimer {
  fired = false;
  private scope: CancellationScope | undefined;

  constructor(readonly at?: number) {}

  await(at: number | undefined, summary: string): DeadlineTimer {
    if (at === this.at && !this.fired) return this;
    this.scope?.cancel();
    const next = new DeadlineTimer(at);
    if (at !== undefined) next.arm(at, summary);
    return next;
  }

  private arm(at: number, summary: string): void {
    this.scope = new CancellationScope();
    this.scope
      .run(() => sleep(Math.max(0, at - Date.now()), { summary }))
      .then(
        () => {
          this.fired = true;
        },
        (err: unknown) => {
          // Cancelled by a moved deadline, or with the workflow (whose own wait then throws): nothing to do.
          if (!isCancellation(err)) throw err;
        },
      );
  }
}
