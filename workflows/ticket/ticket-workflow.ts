import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import { clockLabel, describeDue } from '../../src/domain/ticket/core';
import { openingCallback } from './callback-as-recorded';
import * as c from './contract';
import { DeadlineTimer } from './deadline-timer';
import { TicketEffects } from './ticket-effects';
import { registerTicketHandlers, type LoopInbox } from './ticket-handlers';
import { TicketMachine, type Pending } from './ticket-machine';

/** What the workflow waits for, as the Temporal UI shows it on the timer. */
function waitLabel(next: Pending): string {
  if (next.type === 'warning') return `${clockLabel(next.clock!)} ${Math.round((next.fraction ?? 0) * 100)}% warning`;
  if (next.type === 'breach') return `${clockLabel(next.clock!)} deadline`;
  return next.type.replaceAll('_', ' ');
}

/**
 * One ticket's promise: it sleeps until the next deadline it computed, fires what is due, and wakes early
 * when an action or the development ticket changed something. State and rules are in TicketMachine,
 * what it does to the world in TicketEffects, actions in ticket-handlers.
 */
export async function ticketWorkflow(input: c.OpenTicketInput): Promise<c.TicketView> {
  // 003: an escalated ticket is owed resolution "within 4 working days, in case of second level
  // intervention". Escalated after its first-level breach fired, it fired that promise's warnings and
  // breach never; a ticket opened before keeps the keys its history holds (TicketMachine.levelKey).
  const rules = { resolutionKeysByLevel: () => input.secondLevelOwnPromise === true };
  const m = new TicketMachine(input, openingCallback(input, opensWithCallback(input)), rules);
  const fx = new TicketEffects(input, m);
  const inbox: LoopInbox = { changed: false, queue: [] };
  registerTicketHandlers(m, fx, inbox);

  try {
    await run(input, m, fx, inbox);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => cancelled(input, m, fx));
    throw err;
  }
  await condition(allHandlersFinished);
  return m.view();
}

/**
 * A phone ticket under a policy promising a call back starts the callback clock (003). Its timers and mail
 * are commands a phone ticket opened before this code did not issue, so that run keeps replaying without them.
 */
function opensWithCallback(input: c.OpenTicketInput): boolean {
  if (input.resume || input.channel !== 'phone' || input.policy.phoneCallback === undefined) return false;
  return patched('phone-callback-clock');
}

async function run(input: c.OpenTicketInput, m: TicketMachine, fx: TicketEffects, inbox: LoopInbox): Promise<void> {
  let timer = new DeadlineTimer();
  if (input.restartedAt !== undefined) {
    const data = { status: m.status, deadlines: m.view().deadlines };
    await fx.commit({ key: `restarted:${input.restartedAt}`, kind: 'restarted', at: input.restartedAt, data });
  }
  if (!input.resume) {
    const data = {
      policyId: input.policy.id,
      policyVersion: input.policy.version,
      priority: input.priority,
      deadlines: m.view().deadlines,
      ...(input.purchase ? { purchase: input.purchase } : {}),
      ...(input.inboundMessageId ? { inboundMessageId: input.inboundMessageId } : {}),
      ...(input.coveredBy ? { coveredBy: input.coveredBy } : {}),
      status: m.status,
    };
    const ack = fx.mail.acknowledgment(Date.now());
    const opened = { key: 'opened', kind: 'opened', at: input.openedAt, data, mails: [ack] };
    if (fx.local) {
      // The first deadline is armed in the opening's first workflow task, beside the commit: a timer counts
      // from when its task completes, and a task holding a local activity completes only once it has run,
      // which during a flood of openings put every first deadline ~150 ms late (bench/README.md). The
      // opening's commit is therefore an activity task, which lets that first task complete at once.
      const committed = fx.commit(opened, 'activity-task');
      const first = m.next();
      timer = timer.await(first?.at, first ? describeDue(waitLabel(first), first.at, m.s.terms.policy.zone) : '');
      await committed;
    } else await fx.commit(opened);
  }

  for (;;) {
    while (inbox.queue.length) await inbox.queue.shift()!();
    const now = Date.now();
    for (const p of m.due(now)) {
      // An update handled while an earlier item's activities ran may have made this one moot (a reply stops a clock).
      if (m.pending.some((q) => q.key === p.key)) await fx.fire(p, now);
    }
    if (m.finished(Date.now())) break;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      const { restartedAt: _r, ...carried } = input;
      // The new run's input is not compared on replay, so a 'local' run can take 'serial' here (CommitMode).
      const commits = carried.commits === 'local' ? { commits: 'serial' as const } : {};
      await continueAsNew<typeof ticketWorkflow>({ ...carried, resume: m.s, ...commits });
    }
    const next = m.next();
    inbox.changed = false;
    const woken = () => inbox.changed || inbox.queue.length > 0;
    const summary = next ? describeDue(waitLabel(next), next.at, m.s.terms.policy.zone) : '';
    if (fx.oneStep) {
      timer = timer.await(next?.at, summary);
      await condition(() => woken() || timer.fired);
    } else if (next) {
      await condition(woken, Math.max(0, next.at - Date.now()), { summary });
    } else {
      await condition(woken);
    }
  }
}

/**
 * An operator's Request Cancellation: the ticket records that it is cancelled (clocks stopped, row,
 * event, the customer told when the policy says so) before the run ends, so nothing looks alive that is not.
 */
async function cancelled(input: c.OpenTicketInput, m: TicketMachine, fx: TicketEffects): Promise<void> {
  const now = Date.now();
  const devOpen = m.s.state.devTicketOpen;
  m.cancel(now);
  const notice = m.s.terms.policy.notifyOnCancellation ? fx.mail.cancelled(`cancelled:${now}`, now) : undefined;
  const change = {
    key: `cancelled:${now}`,
    kind: 'cancelled',
    at: now,
    data: { by: 'operator', status: m.status },
    mails: notice ? [notice] : [],
  };
  if (fx.oneStep) await fx.commit(change);
  else await fx.persist(change);
  if (devOpen)
    await getExternalWorkflowHandle(c.devTicketWorkflowId(input.ticketId))
      .cancel()
      .catch(() => undefined);
  if (notice && !fx.oneStep) await fx.send(notice);
}
