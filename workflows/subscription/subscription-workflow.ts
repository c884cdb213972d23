import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { NeedsAttentionKey } from '../search-attributes';
import { nextTimers, type PinnedCatalog, type SubscriptionState } from '../../src/domain/subscription';
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

  try {
    await runTerm(m, flush);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // An operator cancelled the run: say so where staff and operators look, then end; staff can restart it.
    await CancellationScope.nonCancellable(async () => {
      const now = Date.now();
      upsertSearchAttributes([{ key: NeedsAttentionKey, value: true }]);
      await acts.recordSubscriptionEvent({
        subscriptionId: m.state.id,
        eventKey: `workflow-cancelled:${now}`,
        kind: 'workflow-cancelled',
        at: now,
        data: { status: m.state.status },
      });
    });
    throw err;
  }
  do {
    await flush();
    await condition(allHandlersFinished);
  } while (m.hasWork());
  return continueAsNew<typeof subscriptionWorkflow>(m.carry());
}

/**
 * A renewal is a new sale, priced on the catalog current at the expiry instant (issue 14); runs
 * recorded before catalogs were versioned renewed on their built-in plans, hence the patch.
 */
async function renewalCatalog(m: SubscriptionMachine): Promise<PinnedCatalog | undefined> {
  if (!m.renewalDue(Date.now()) || !patched('catalog-at-renewal')) return undefined;
  return (await acts.currentCatalogFor({ planId: m.state.planId })) ?? undefined;
}

/** One term: sleep until the domain's next timer, wake early on a change, until the term boundary. */
async function runTerm(m: SubscriptionMachine, flush: () => Promise<void>): Promise<void> {
  const term = termKey(m.state);
  for (;;) {
    m.tick(Date.now(), await renewalCatalog(m));
    await flush();
    if (termKey(m.state) !== term || workflowInfo().continueAsNewSuggested) break;
    const seen = m.changes;
    const woken = () => m.changes !== seen || workflowInfo().continueAsNewSuggested;
    const next = nextTimers(m.state, Date.now())[0];
    const check = m.nextClaimCheck();
    if (check !== undefined && (!next || check < next.at)) {
      const early = await condition(woken, Math.max(1, check - Date.now()), { summary: 'check that held incidents have tickets' });
      if (!early) await settleHeldClaims(m, flush);
      continue;
    }
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
}

/** Asks Temporal which held claims' tickets exist; the others give their incidents back. */
async function settleHeldClaims(m: SubscriptionMachine, flush: () => Promise<void>): Promise<void> {
  const due = m.heldClaimsDue(Date.now());
  if (due.length === 0) return;
  const started = await acts.startedTickets({ ticketIds: due.map((d) => d.ticketId) });
  m.settleHeldClaims(due, new Set(started), Date.now());
  await flush();
}
