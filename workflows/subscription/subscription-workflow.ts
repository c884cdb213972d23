import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { nextTimers, type SubscriptionState } from '../../src/domain/subscription';
import type { SubscriptionWorkflowInput } from './contract';
import { acts } from '../activity-options';
import { createEffectExecutor } from './effect-executor';
import { refuseWith, registerSubscriptionHandlers } from './handlers';
import { SubscriptionMachine } from './subscription-machine';

/** Changes at every term boundary: renewal or reinstatement (new end), lapse, purge. */
function termKey(s: SubscriptionState): string {
  return `${s.termEnd}|${s.lapsedAt}|${s.purgedAt}`;
}

/**
 * One workflow per subscription, for its whole life. It sleeps until the domain's next timer, wakes
 * early when an update changes the schedule, and continues as new at every term boundary (and when
 * the server suggests it), so each run's history stays about one year long.
 */
export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<never> {
  const machine = input.kind === 'create' ? SubscriptionMachine.create(input, Date.now()) : SubscriptionMachine.resume(input);
  if (!(machine instanceof SubscriptionMachine)) refuseWith(machine);
  const m = machine;
  const flush = createEffectExecutor(m);
  registerSubscriptionHandlers(m, flush);

  const runTerm = termKey(m.state);
  for (;;) {
    m.tick(Date.now());
    await flush();
    if (termKey(m.state) !== runTerm || workflowInfo().continueAsNewSuggested) break;
    const seen = m.changes;
    const woken = () => m.changes !== seen || workflowInfo().continueAsNewSuggested;
    const next = nextTimers(m.state, Date.now())[0];
    if (!next) {
      await condition(woken);
      continue;
    }
    const early = await condition(woken, Math.max(1, next.at - Date.now()), { summary: next.summary });
    if (!early) {
      await acts.recordSubscriptionEvent({
        subscriptionId: m.state.id,
        eventKey: `timer:${next.key}`,
        kind: 'timer',
        at: next.at,
        data: { timer: next.kind, summary: next.summary, firedAt: Date.now() },
      });
    }
  }
  do {
    await flush();
    await condition(allHandlersFinished);
  } while (m.hasWork());
  return continueAsNew<typeof subscriptionWorkflow>(m.carry());
}
