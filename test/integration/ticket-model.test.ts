import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { and, eq, sql } from 'drizzle-orm';
import { businessTimeBetween } from '../../src/domain/calendar/index';
import { calendarForPolicy, getPolicyPreset, type Priority, type ResolutionKind } from '../../src/domain/ticket/index';
import { ticketEvents, tickets } from '../../src/db/schema';
import * as c from '../../workflows/ticket/contract';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { pendingTimers } from '../support/pending-timers';
import { Replayer } from '../support/replay-all';
import { startTimeSkippingStack, type SkippingStack } from '../support/time-skipping';
import { ticketInput } from '../support/ticket-input';
import {
  BREACH_KINDS,
  DEV_TICKET_ACCEPTS_ACTIONS_AFTER_PARENT_ENDED,
  KINDS,
  PRIORITY_ORDER,
  SMARTWORK_TARGET_HOURS,
  initialModel,
  shownDeadlines,
  step,
  type Act,
  type EventKind,
  type Kind,
  type ModelPriority,
  type Prediction,
  type TicketModel,
} from '../support/ticket-model';

/**
 * Model-based test of the ticket workflow (issue 12 item 10): random sequences of staff, customer and
 * development actions and clock advances run against the Java time-skipping test server with a real
 * worker, PostgreSQL and SMTP, and against the hand-written model in test/support/ticket-model.ts. After
 * every command: the status is the model's, a refused action is refused with the predicted domain code and
 * changes nothing, the deadlines shown are the model's running clocks (moved only when the model says an
 * action touched them, by the amounts the rules give), and breaches are recorded exactly for the running
 * clocks whose deadline passed, at that deadline and never before it. After every sequence: its rows are
 * the model's, and its histories replay on the same code.
 *
 * Each sequence opens a fresh ticket on `smartwork-emea` (business hours 10–18 Munich, Munich holidays,
 * periodic updates, pauses while waiting on the customer, development tickets) at the server's current
 * instant; the server's clock only moves forward, so sequences start wherever the previous one left it.
 */

/**
 * Sequences per run. Measured on the project's 2-core machine (with other work on it): a sequence costs
 * about 0.3 s, so 100 keep the whole file near 40 s (150 took 55 s). TICKET_MODEL_RUNS=1000 for a soak;
 * TICKET_MODEL_TRACE=1 prints every command as it runs.
 */
const NUM_RUNS = Number(process.env.TICKET_MODEL_RUNS ?? 100);
const MAX_COMMANDS = 12;
const POLICY_ID = 'smartwork-emea';
const FIELDS = { description: 'Export fails with error 42 on every run', softwareVersion: '4.2.1', technicalContact: 'Max' };
const H = 3_600_000;
const MIN = 60_000;
const DAY = 24 * H;
/** An advance never ends this close to an instant the view shows, so "due by the horizon" is unambiguous. */
const CLEARANCE = 2_500;
/** No timer is due this soon after an advance: more real time than a sequence's commands take. */
const TIMER_MARGIN = 60_000;
/** How long asynchronous work (timers just due, development's signals) may take to show in the view. */
const SETTLE_MS = 15_000;
/** No single call should take this long; past it the command is reported as hanging. */
const CALL_MS = 20_000;
const TRACE = process.env.TICKET_MODEL_TRACE === '1';

const policy = getPolicyPreset(POLICY_ID);
const calendar = calendarForPolicy(policy);
const bt = (from: number, to: number) => businessTimeBetween(calendar, from, to);

let s: SkippingStack;
const stats = {
  sequences: 0,
  commands: 0,
  accepted: 0,
  refused: new Map<string, number>(),
  statuses: new Map<string, number>(),
  breaches: 0,
  /** Advances carried on past a timer they would have ended just before. */
  extended: 0,
  /** Actions that left a timer due within TIMER_MARGIN, passed by an advance of its own. */
  cleared: 0,
  /** Time-skipping locks released after a development ticket completed under an ended customer ticket. */
  unlocked: 0,
  autoCloses: 0,
  finished: 0,
  /** Wall time per command kind and phase, to pick NUM_RUNS. */
  time: new Map<string, { ms: number; n: number }>(),
};
const timed = async <T>(key: string, run: () => Promise<T>): Promise<T> => {
  const t = Date.now();
  try {
    return await run();
  } finally {
    const e = stats.time.get(key) ?? { ms: 0, n: 0 };
    stats.time.set(key, { ms: e.ms + Date.now() - t, n: e.n + 1 });
  }
};
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

let replayer: Replayer;
beforeAll(async () => {
  s = await startTimeSkippingStack();
  replayer = new Replayer();
});
afterAll(async () => {
  await replayer?.stop();
  await s?.stop();
});

interface Real {
  ticketId: string;
  h: WorkflowHandle<typeof ticketWorkflow>;
  /** The last settled view: what the next command's checks compare with. */
  view: c.TicketView;
  /**
   * The resolution deadline when that clock last stopped counting (paused or stopped), and the server
   * instants around the action; undefined once a priority change retargeted it meanwhile.
   */
  resHold?: { floor: number; a: number; b: number };
}

const serverNow = async () => Number(await s.env.currentTimeMs());
const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

function duration(t: number): string {
  const d = Math.floor(t / DAY);
  const h = Math.floor((t % DAY) / H);
  const m = Math.round((t % H) / MIN);
  return [d ? `${d}d` : '', h ? `${h}h` : '', m || (!d && !h) ? `${m}m` : ''].filter(Boolean).join(' ');
}

function errText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const type = cause instanceof ApplicationFailure ? ` type=${cause.type}` : '';
  return `${err.constructor.name}: ${err.message}${cause instanceof Error ? ` (cause ${cause.constructor.name}: ${cause.message}${type})` : ''}`;
}

/** The fields an action could change; a refused one must leave all of them as they were. */
function stable(v: c.TicketView) {
  return {
    status: v.status,
    priority: v.priority,
    resolutionLevel: v.resolutionLevel,
    devTicketOpen: v.devTicketOpen,
    deadlines: v.deadlines,
    breaches: v.breaches,
    slaState: v.slaState,
    version: v.version,
    autoCloseAt: v.autoCloseAt,
    reopenUntil: v.reopenUntil,
    firstRespondedAt: v.firstRespondedAt,
    resolvedAt: v.resolvedAt,
    closedAt: v.closedAt,
  };
}

/** A call that never answers (an update whose handler fails its workflow task) fails the command instead of the file. */
function bounded<T>(p: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no answer within ${CALL_MS} ms`)), CALL_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function perform(r: Real, act: Act): Promise<c.TicketView | c.DevTicketView> {
  const agent = 'model-agent';
  const a = c.ticketActions;
  const dev = () => s.env.client.workflow.getHandle(c.devTicketWorkflowId(r.ticketId));
  switch (act.type) {
    case 'respond':
      return r.h.executeUpdate(a.respond.update, { args: [{ agent, message: 'Looking into it' }] });
    case 'request_info':
      return r.h.executeUpdate(a['request-info'].update, { args: [{ agent, message: 'Which build do you run?' }] });
    case 'customer_reply':
      return r.h.executeUpdate(a.reply.update, { args: [{ message: 'Here is the log' }] });
    case 'change_priority':
      return r.h.executeUpdate(a.priority.update, { args: [{ agent, priority: act.priority as Priority }] });
    case 'escalate':
      return r.h.executeUpdate(a.escalate.update, { args: [{ agent, summary: 'Crash on export' }] });
    case 'resolve':
      return r.h.executeUpdate(a.resolve.update, { args: [{ agent, resolution: act.kind as ResolutionKind }] });
    case 'reopen':
      return r.h.executeUpdate(a.reopen.update, { args: [{ agent }] });
    case 'close':
      return r.h.executeUpdate(a.close.update, { args: [{ agent }] });
    case 'dev_progress':
      return dev().executeUpdate(c.devTicketActions.progress, { args: [{ engineer: 'eve', note: 'Root cause found' }] });
    case 'dev_resolve':
      return dev().executeUpdate(c.devTicketActions.resolve, { args: [{ engineer: 'eve', note: 'Fixed in 4.2.2' }] });
  }
}

/** A refusal by a running workflow is its update failing with the domain's code; a gone workflow is not found. */
function expectRefusal(err: unknown, code: string, label: string): void {
  if (code === 'ticket_finished' || code === 'no_dev_ticket') {
    expect(err instanceof WorkflowNotFoundError, `${label}: expected ${code} (workflow gone), got ${errText(err)}`).toBe(true);
    return;
  }
  expect(err instanceof WorkflowUpdateFailedError, `${label}: expected refusal ${code}, got ${errText(err)}`).toBe(true);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause instanceof ApplicationFailure, `${label}: cause is not an ApplicationFailure: ${errText(err)}`).toBe(true);
  expect((cause as ApplicationFailure).type, `${label}: refusal code`).toBe(code);
  expect((cause as ApplicationFailure).nonRetryable, `${label}: refusals are non-retryable`).toBe(true);
}

interface Settled {
  view: c.TicketView;
  now: number;
}

/**
 * Waits until everything due by `horizon` has happened (breaches of running clocks, periodic updates,
 * the automatic close, the end of the workflow) and, for development's signals, until the customer ticket
 * has recorded them; then folds those timer-driven transitions into the model, checking each is allowed.
 */
async function settle(
  m: TicketModel,
  r: Real,
  horizon: number,
  label: string,
  opts: { candidate?: c.TicketView; minVersion?: number } = {},
): Promise<Settled> {
  const prev = r.view;
  const started = Date.now();
  let candidate = opts.candidate;
  let finished = m.finished;
  for (;;) {
    const view = candidate ?? (await r.h.query(c.ticketQuery));
    candidate = undefined;
    const now = await serverNow();
    const waiting: string[] = [];
    if (opts.minVersion !== undefined && view.version < opts.minVersion) waiting.push(`version ${view.version} < ${opts.minVersion}`);
    for (const k of BREACH_KINDS) {
      const due = ms(view.deadlines[k]);
      if (m.clocks[k] !== 'running' || m.breached[k] || due === undefined || due > horizon) continue;
      if (!view.breaches.some((b) => b.clock === k && b.at === view.deadlines[k])) waiting.push(`breach of ${k} due ${view.deadlines[k]}`);
    }
    const pu = ms(view.deadlines.periodic_update);
    if (pu !== undefined && pu <= horizon) waiting.push(`periodic update due ${view.deadlines.periodic_update}`);
    const autoCloseAt = ms(view.autoCloseAt);
    if (view.status === 'resolved' && autoCloseAt !== undefined && autoCloseAt <= horizon)
      waiting.push(`auto-close due ${view.autoCloseAt}`);
    const reopenUntil = ms(view.reopenUntil);
    if (!finished && view.status === 'closed' && reopenUntil !== undefined && reopenUntil <= now) {
      finished = (await r.h.describe()).status.name === 'COMPLETED';
      if (!finished && reopenUntil <= horizon) waiting.push(`end of the workflow after ${view.reopenUntil}`);
    }
    if (waiting.length === 0) {
      foldTimers(m, prev, view, now, finished, label);
      return { view, now };
    }
    if (Date.now() - started > SETTLE_MS)
      throw new Error(`${label}: still waiting for ${waiting.join('; ')} (view ${JSON.stringify(view)})`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

/** Transitions made by timers, not actions: breaches, the automatic close, the end of the workflow. */
function foldTimers(m: TicketModel, prev: c.TicketView, view: c.TicketView, now: number, finished: boolean, label: string) {
  expect(view.breaches.slice(0, prev.breaches.length), `${label}: breaches are only ever added`).toEqual(prev.breaches);
  const added = view.breaches.slice(prev.breaches.length);
  for (const b of added) {
    const k = b.clock as Kind;
    expect(BREACH_KINDS.includes(k as never), `${label}: breach of ${b.clock}`).toBe(true);
    const bk = k as (typeof BREACH_KINDS)[number];
    expect(m.clocks[bk], `${label}: a breach of ${bk} at ${b.at}, but the model has that clock ${m.clocks[bk]}`).toBe('running');
    expect(m.breached[bk], `${label}: a second breach of the same ${bk} clock at ${b.at}`).toBe(false);
    expect(b.at, `${label}: the ${bk} breach is recorded at its deadline`).toBe(view.deadlines[bk]);
    expect(
      Date.parse(b.at),
      `${label}: breach of ${bk} at ${b.at} recorded before its deadline passed (server now ${new Date(now).toISOString()})`,
    ).toBeLessThanOrEqual(now);
    m.breached[bk] = true;
    stats.breaches += 1;
  }
  if (m.status === 'resolved' && view.status === 'closed') {
    const at = ms(prev.autoCloseAt);
    expect(at !== undefined && at <= now, `${label}: closed automatically before autoCloseAt ${prev.autoCloseAt}`).toBe(true);
    m.status = 'closed';
    m.events.close += 1;
    stats.autoCloses += 1;
  }
  if (finished && !m.finished) {
    expect(m.status, `${label}: the workflow ended`).toBe('closed');
    m.finished = true;
    stats.finished += 1;
  }
}

/** What must hold of every settled view, whatever the command was. */
function checkView(m: TicketModel, v: c.TicketView, now: number, label: string) {
  expect(v.status, `${label}: status`).toBe(m.status);
  expect(v.priority, `${label}: priority`).toBe(m.priority);
  expect(v.resolutionLevel, `${label}: resolution level`).toBe(m.level);
  expect(v.devTicketOpen, `${label}: development ticket open`).toBe(m.devOpen);
  expect(Object.keys(v.deadlines).sort(), `${label}: the deadlines shown are the running clocks`).toEqual([...shownDeadlines(m)].sort());
  const resolvedOrClosed = m.status === 'resolved' || m.status === 'closed';
  expect(v.autoCloseAt !== undefined, `${label}: autoCloseAt shown`).toBe(m.autoClose);
  expect(v.reopenUntil !== undefined, `${label}: reopenUntil shown`).toBe(resolvedOrClosed);
  expect(v.resolvedAt !== undefined, `${label}: resolvedAt shown`).toBe(resolvedOrClosed);
  expect(v.closedAt !== undefined, `${label}: closedAt shown`).toBe(m.status === 'closed');
  // See FIRST_REPLY_ENDS_FIRST_RESPONSE_IN_ANY_STATUS in the model.
  expect(v.firstRespondedAt !== undefined, `${label}: firstRespondedAt shown`).toBe(m.firstResponded);
  for (const b of v.breaches)
    expect(Date.parse(b.at), `${label}: breach at ${b.at} lies ahead of the server clock`).toBeLessThanOrEqual(now);
  expect(v.slaState === c.SlaState.Breached, `${label}: SlaState is breached exactly when a breach is recorded`).toBe(
    v.breaches.length > 0,
  );
  if (v.autoCloseAt && v.reopenUntil) expect(Date.parse(v.autoCloseAt)).toBeLessThan(Date.parse(v.reopenUntil));
}

/** Business time from `from` to `due` is the target of `kind`, counted from an instant within [a, b]. */
function expectTarget(kind: Kind, priority: ModelPriority, level: 'first' | 'second', due: number, a: number, b: number, label: string) {
  const hours =
    kind === 'resolution' && level === 'second'
      ? SMARTWORK_TARGET_HOURS[priority].resolution_second
      : SMARTWORK_TARGET_HOURS[priority][kind];
  const target = hours * H;
  const fromA = bt(a, due);
  const fromB = bt(b, due);
  expect(
    fromA >= target - 1 && fromB <= target + 1,
    `${label}: ${kind} due ${new Date(due).toISOString()} is not ${hours} business hours after the action (${fromB}..${fromA} ms)`,
  ).toBe(true);
}

/** How an accepted action may move the deadlines, given what the model says it touched. */
function checkDeadlineMoves(
  p: Extract<Prediction, { ok: true }>,
  m: TicketModel,
  r: Real,
  prev: c.TicketView,
  v: c.TicketView,
  a: number,
  b: number,
  label: string,
) {
  for (const k of KINDS) {
    const before = ms(prev.deadlines[k]);
    const after = ms(v.deadlines[k]);
    if (after === undefined) continue;
    if (p.fresh.has(k)) {
      expectTarget(k, m.priority, m.level, after, a, b, label);
      continue;
    }
    if (before === undefined) continue;
    const moved = `${label}: ${k} deadline ${prev.deadlines[k]} → ${v.deadlines[k]}`;
    if (!p.touched.has(k)) {
      expect(after, `${moved}, but the action does not concern that clock`).toBe(before);
    } else if (k === 'periodic_update') {
      expect(after, moved).toBeGreaterThanOrEqual(a);
    } else if (p.retarget === 'raise') {
      // A more urgent target: never later; a clock past its new target is due at the change.
      expect(after, moved).toBeLessThanOrEqual(Math.max(before, b));
      expect(after, moved).toBeGreaterThanOrEqual(Math.min(before, a));
    } else if (p.retarget === 'lower') {
      expect(after, moved).toBeGreaterThanOrEqual(before);
    } else if (p.retarget === 'second_level') {
      // Only the resolution target changes; the other clocks keep their deadline (time used stays used).
      if (k === 'resolution') expect(after, moved).toBeGreaterThanOrEqual(before);
      else if (before > b) expect(after, `${moved}: escalation must not move it`).toBe(before);
    }
  }
  // The resolution clock continues where it stood: its deadline moves by exactly the business time it did not count.
  const wasCounting = prev.deadlines.resolution !== undefined;
  const counting = v.deadlines.resolution !== undefined;
  if (wasCounting && !counting) r.resHold = { floor: Date.parse(prev.deadlines.resolution!), a, b };
  if (!wasCounting && !counting && p.retarget) r.resHold = undefined;
  if (!wasCounting && counting && p.touched.has('resolution') && !p.fresh.has('resolution')) {
    const hold = r.resHold;
    r.resHold = undefined;
    if (hold) {
      const due = Date.parse(v.deadlines.resolution!);
      if (hold.floor < hold.a) {
        expect(due, `${label}: an overdue resolution clock keeps its deadline across the pause`).toBe(hold.floor);
      } else if (hold.floor > hold.b) {
        const shift = bt(hold.floor, due);
        const lo = bt(hold.b, a);
        const hi = bt(hold.a, b);
        expect(
          shift >= lo - 1 && shift <= hi + 1,
          `${label}: resolution deadline ${new Date(hold.floor).toISOString()} → ${v.deadlines.resolution} moved ${shift} business ms, paused ${lo}..${hi}`,
        ).toBe(true);
      }
    }
  }
}

async function runAction(m: TicketModel, r: Real, act: Act, label: string): Promise<void> {
  stats.commands += 1;
  const prev = r.view;
  const p = step(m, act);
  const a = await serverNow();
  if (TRACE) console.log(`  ${label} (model: ${m.status})`);
  const outcome = await bounded(perform(r, act), label).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const b = await serverNow();
  if (!p.ok) {
    bump(stats.refused, `${act.type}:${p.code}`);
    if (outcome.ok)
      throw new Error(
        `${label}: the model refuses with ${p.code} (status ${m.status}) but the workflow accepted: ${JSON.stringify(outcome.value)}`,
      );
    expectRefusal(outcome.error, p.code, label);
    const after = m.finished ? prev : await r.h.query(c.ticketQuery);
    expect(stable(after), `${label}: a refused action changes nothing`).toEqual(stable(prev));
    checkView(m, after, await serverNow(), label);
    return;
  }
  if (!outcome.ok) throw new Error(`${label}: the model accepts (status ${m.status}) but the workflow refused: ${errText(outcome.error)}`);
  stats.accepted += 1;
  Object.assign(m, p.next);
  const isDev = act.type === 'dev_progress' || act.type === 'dev_resolve';
  if (!isDev) {
    const returned = outcome.value as c.TicketView;
    expect(returned.status, `${label}: the update answers the new status`).toBe(m.status);
    expect(returned.version, `${label}: an accepted action is recorded`).toBeGreaterThan(prev.version);
    expect(returned.followUp === true, `${label}: followUp`).toBe(p.followUp);
  } else {
    const dev = outcome.value as c.DevTicketView;
    expect(dev.status, `${label}: development ticket status`).toBe(act.type === 'dev_resolve' ? 'resolved' : 'open');
  }
  const settled = m.finished
    ? { view: prev, now: b }
    : await settle(m, r, b, label, {
        ...(isDev ? {} : { candidate: outcome.value as c.TicketView }),
        ...(p.viaSignal ? { minVersion: prev.version + 1 } : {}),
      });
  checkView(m, settled.view, settled.now, label);
  // A change development signals lands on the customer ticket after the update answered, by the time it settled.
  checkDeadlineMoves(p, m, r, prev, settled.view, a, p.viaSignal ? settled.now : b, label);
  r.view = settled.view;
}

/** `target`, moved on past every instant in `known` that lies within CLEARANCE of it. */
function clearOf(known: number[], target: number): number {
  for (let moved = true; moved;) {
    moved = false;
    for (const x of known) {
      if (Math.abs(x - target) < CLEARANCE) {
        target = x + CLEARANCE;
        moved = true;
      }
    }
  }
  return target;
}

/** Once the sequence's runs are idle, the instants of their timers due within TIMER_MARGIN of the server's clock. */
async function timersSoon(m: TicketModel, r: Real): Promise<number[]> {
  if (m.finished) return [];
  const handles = [r.h, ...(m.devWorkflow !== 'none' ? [s.env.client.workflow.getHandle(c.devTicketWorkflowId(r.ticketId))] : [])];
  const started = Date.now();
  while (!(await Promise.all(handles.map(idle))).every(Boolean) && Date.now() - started < SETTLE_MS)
    await new Promise((res) => setTimeout(res, 10));
  const now = await serverNow();
  const timers = await Promise.all(handles.map(async (h) => pendingTimers(await h.fetchHistory())));
  return timers.flat().filter((x) => x < now + TIMER_MARGIN);
}

/**
 * The next command runs in real time too: a timer an action left due within TIMER_MARGIN (a clock it
 * made due in moments) is passed by an advance of its own first, for the reason runAdvance gives.
 */
async function clearAhead(m: TicketModel, r: Real, label: string): Promise<void> {
  const soon = await timersSoon(m, r);
  if (soon.length === 0) return;
  stats.cleared += 1;
  const by = Math.max(...soon) + CLEARANCE - (await serverNow());
  await runAdvance(m, r, by, `${label}, then advance(+${duration(by)}) past a timer`);
}

/**
 * A child workflow that completes after its parent closed leaves the test server's time-skipping lock
 * held (temporalio/sdk-typescript#1101, sdk-java#2392): every later advance of the file then takes real
 * time (1,000-sequence soak, 2026-12-07). A development ticket its customer ticket outlived is such a
 * child. The lock is released once it is seen held: a minute's skip that does not come back at once.
 * Both runs have ended by then, so the minute changes nothing the sequence still checks.
 */
async function releaseOrphanLock(r: Real): Promise<void> {
  const dev = s.env.client.workflow.getHandle(c.devTicketWorkflowId(r.ticketId));
  const started = Date.now();
  while ((await dev.describe()).status.name === 'RUNNING' && Date.now() - started < SETTLE_MS)
    await new Promise((res) => setTimeout(res, 10));
  const skip = s.env.sleep(MIN);
  const held = await Promise.race([skip.then(() => false), new Promise<boolean>((res) => setTimeout(() => res(true), 5_000))]);
  if (!held) return;
  stats.unlocked += 1;
  await s.env.connection.testService?.unlockTimeSkipping({});
  await bounded(skip, 'the minute after releasing the lock');
}

async function runAdvance(m: TicketModel, r: Real, by: number, label: string): Promise<void> {
  stats.commands += 1;
  const prev = r.view;
  const from = await serverNow();
  const known = [...Object.values(prev.deadlines), prev.autoCloseAt, prev.reopenUntil].flatMap((x) => (x ? [Date.parse(x)] : []));
  let target = clearOf(known, from + by);
  if (TRACE) console.log(`  ${label}`);
  await bounded(s.sleepUntil(target), label);
  // The commands after an advance run in real time, and the test server refuses a task that cancels a
  // timer which fired while the task ran (temporalio/sdk-java#3088): the run gets no further task and
  // every later advance waits on it (CI, 2026-12-07). So an advance ends clear of every timer the runs
  // hold, warnings and development's included, which the view does not show.
  for (let soon = await timersSoon(m, r); soon.length > 0; soon = await timersSoon(m, r)) {
    known.push(...soon);
    target = clearOf(known, Math.max(...soon) + CLEARANCE);
    stats.extended += 1;
    if (TRACE) console.log(`    on past a timer due ${new Date(Math.max(...soon)).toISOString()}`);
    await bounded(s.sleepUntil(target), label);
  }
  const { view, now } = m.finished ? { view: prev, now: await serverNow() } : await settle(m, r, target, label);
  checkView(m, view, now, label);
  // Time passing moves no deadline; a periodic update that went out owes the next one later.
  for (const k of BREACH_KINDS) {
    if (view.deadlines[k] !== undefined && prev.deadlines[k] !== undefined)
      expect(view.deadlines[k], `${label}: ${k} deadline`).toBe(prev.deadlines[k]);
  }
  const pu = ms(view.deadlines.periodic_update);
  const puBefore = ms(prev.deadlines.periodic_update);
  if (pu !== undefined && puBefore !== undefined) {
    expect(pu, `${label}: periodic update`).toBeGreaterThanOrEqual(puBefore);
    // Sent between the previous due time and when the view was read: the server's clock runs on past
    // the advance's target while the update's activities run (CI, 2026-12-08: due 3 ms after target + 4 h).
    if (pu !== puBefore)
      expectTarget(
        'periodic_update',
        m.priority,
        m.level,
        pu,
        puBefore,
        now,
        `${label} (the last periodic update due after the previous one)`,
      );
    expect(pu, `${label}: every periodic update due by now went out`).toBeGreaterThan(target);
  }
  r.view = view;
}

class ActionCommand implements fc.AsyncCommand<TicketModel, Real> {
  constructor(
    readonly act: Act,
    readonly label: string,
  ) {}
  check(m: Readonly<TicketModel>): boolean {
    // See DEV_TICKET_ACCEPTS_ACTIONS_AFTER_PARENT_ENDED in the model.
    const devAfterParent = (this.act.type === 'dev_progress' || this.act.type === 'dev_resolve') && m.finished && m.devWorkflow === 'open';
    return DEV_TICKET_ACCEPTS_ACTIONS_AFTER_PARENT_ENDED || !devAfterParent;
  }
  async run(m: TicketModel, r: Real): Promise<void> {
    const orphan = this.act.type === 'dev_resolve' && m.finished && m.devWorkflow === 'open';
    await timed(this.act.type, () => runAction(m, r, this.act, this.label));
    if (orphan) await timed('orphan', () => releaseOrphanLock(r));
    await timed('clear', () => clearAhead(m, r, this.label));
  }
  toString(): string {
    return this.label;
  }
}

class AdvanceCommand implements fc.AsyncCommand<TicketModel, Real> {
  constructor(readonly by: number) {}
  check(m: Readonly<TicketModel>): boolean {
    // Weeks on an open high or urgent ticket are dozens of periodic updates (each a record and a mail):
    // slow, and no different from a few shorter advances. Resolved, closed and slower tickets take them.
    const busy = m.status !== 'resolved' && m.status !== 'closed' && (m.priority === 'high' || m.priority === 'urgent');
    return this.by < 3 * DAY || !busy;
  }
  run(m: TicketModel, r: Real): Promise<void> {
    return timed(this.by < H ? 'advance<1h' : this.by < 3 * DAY ? 'advance<3d' : 'advance>=3d', () =>
      runAdvance(m, r, this.by, this.toString()),
    );
  }
  toString(): string {
    return `advance(+${duration(this.by)})`;
  }
}

const action = (act: Act, label: string) => fc.constant(new ActionCommand(act, label));
/** Weighted so that sequences of a dozen commands reach the later states (auto-close, the end of the reopen window). */
const COMMAND = fc.oneof(
  { weight: 3, arbitrary: action({ type: 'respond' }, 'respond') },
  { weight: 2, arbitrary: action({ type: 'request_info' }, 'requestInfo') },
  { weight: 3, arbitrary: action({ type: 'customer_reply' }, 'customerReply') },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom<string>(...PRIORITY_ORDER, 'critical')
      .map((p) => new ActionCommand({ type: 'change_priority', priority: p }, `priority(${p})`)),
  },
  { weight: 3, arbitrary: action({ type: 'escalate' }, 'escalate') },
  { weight: 1, arbitrary: action({ type: 'dev_progress' }, 'devProgress') },
  { weight: 1, arbitrary: action({ type: 'dev_resolve' }, 'devResolve') },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('solution', 'workaround', 'solution', 'workaround', 'bogus')
      .map((k) => new ActionCommand({ type: 'resolve', kind: k }, `resolve(${k})`)),
  },
  { weight: 2, arbitrary: action({ type: 'reopen' }, 'reopen') },
  { weight: 2, arbitrary: action({ type: 'close' }, 'close') },
  // Clock advances: minutes, hours to two days, and weeks (auto-close is 5 working days, the reopen window 10).
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 180 }).map((m) => new AdvanceCommand(m * MIN)) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 48 }).map((h) => new AdvanceCommand(h * H)) },
  { weight: 3, arbitrary: fc.integer({ min: 3 * 24, max: 16 * 24 }).map((h) => new AdvanceCommand(h * H)) },
);

/** Opens the sequence's ticket; `started` learns its id first, so that a failed opening is cleaned up too. */
async function openTicket(priority: ModelPriority, started: (ticketId: string) => void): Promise<{ model: TicketModel; real: Real }> {
  const openedAt = await serverNow();
  const input = ticketInput(POLICY_ID, openedAt, { fields: FIELDS, priority });
  started(input.ticketId);
  const h = await s.env.client.workflow.start(ticketWorkflow, {
    workflowId: c.ticketWorkflowId(input.ticketId),
    taskQueue: s.taskQueue,
    args: [input],
  });
  const view = await h.query(c.ticketQuery);
  const model = initialModel(priority);
  checkView(model, view, await serverNow(), `open(${priority})`);
  for (const k of ['first_response', 'resolution', 'periodic_update'] as const) {
    expectTarget(k, priority, 'first', Date.parse(view.deadlines[k]!), openedAt, openedAt, `open(${priority})`);
  }
  return { model, real: { ticketId: input.ticketId, h, view } };
}

/** The read model agrees: one event row per accepted action, breaches as in the view and never early. */
async function checkRecords(m: TicketModel, r: Real): Promise<void> {
  const started = Date.now();
  for (;;) {
    const rows = await s.db.db
      .select({ kind: ticketEvents.kind, n: sql<number>`count(*)::int` })
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, r.ticketId))
      .groupBy(ticketEvents.kind);
    const counts = Object.fromEntries(rows.map((x) => [x.kind, x.n]));
    const expected = Object.fromEntries(Object.entries(m.events).map(([k, n]) => [k, n]));
    const actual = Object.fromEntries((Object.keys(m.events) as EventKind[]).map((k) => [k, counts[k] ?? 0]));
    const [row] = await s.db.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, r.ticketId));
    const ok =
      JSON.stringify(actual) === JSON.stringify(expected) && row?.status === m.status && (counts.breach ?? 0) === r.view.breaches.length;
    if (ok || Date.now() - started > SETTLE_MS) {
      expect(actual, 'ticket_events rows per action kind').toEqual(expected);
      expect(row?.status, 'tickets row status').toBe(m.status);
      break;
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  const breaches = await s.db.db
    .select()
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, r.ticketId), eq(ticketEvents.kind, 'breach')));
  // Two clocks can breach at the same instant (a priority raised past both targets): order ties by clock.
  const byInstant = (x: { at: string; clock: unknown }, y: { at: string; clock: unknown }) =>
    x.at.localeCompare(y.at) || String(x.clock).localeCompare(String(y.clock));
  expect(breaches.map((b) => ({ clock: b.data.clock, at: b.at.toISOString() })).sort(byInstant)).toEqual(
    [...r.view.breaches].sort(byInstant),
  );
  for (const b of breaches)
    expect(b.data.firedAt as number, `breach of ${String(b.data.clock)} fired before its deadline`).toBeGreaterThanOrEqual(b.at.getTime());
}

const { EventType } = temporal.api.enums.v1;
const ACTIVITY_CLOSED = new Set([
  EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
]);
const WORKFLOW_TASK = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

/** Nothing in flight: every scheduled activity closed, and the last workflow task completed. */
async function idle(h: WorkflowHandle): Promise<boolean> {
  const { events } = await h.fetchHistory();
  const open = new Set<string>();
  let lastTask: number | null | undefined;
  for (const e of events ?? []) {
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) open.add(String(e.eventId));
    if (ACTIVITY_CLOSED.has(e.eventType!)) {
      const a =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes ??
        e.activityTaskCanceledEventAttributes;
      open.delete(String(a?.scheduledEventId));
    }
    if (WORKFLOW_TASK.has(e.eventType!)) lastTask = e.eventType;
  }
  return open.size === 0 && lastTask === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
}

/**
 * Terminates a run once nothing is in flight. The Java test server keeps the time-skipping lock of an
 * activity or workflow task that is running when its workflow is terminated (temporalio/sdk-java#1138),
 * after which every env.sleep takes real time; so a run is terminated only between tasks.
 */
async function terminateQuietly(h: WorkflowHandle): Promise<void> {
  const started = Date.now();
  for (;;) {
    const d = await h.describe().catch(() => undefined);
    if (!d || d.status.name !== 'RUNNING') return;
    if ((await idle(h)) || Date.now() - started > SETTLE_MS) {
      await h.terminate('model sequence over').catch(() => undefined);
      return;
    }
    await new Promise((res) => setTimeout(res, 10));
  }
}

/** The sequence's histories replay on the same code (support/replay-all.ts says why every one is). */
async function checkReplay(m: TicketModel, r: Real): Promise<void> {
  const handles = [r.h, ...(m.devWorkflow !== 'none' ? [s.env.client.workflow.getHandle(c.devTicketWorkflowId(r.ticketId))] : [])];
  const histories = await Promise.all(handles.map(async (h) => ({ workflowId: h.workflowId, history: await h.fetchHistory() })));
  expect(await replayer.failures(histories), "replay of the sequence's histories").toEqual([]);
}

async function cleanup(ticketId: string | undefined): Promise<void> {
  if (!ticketId) return;
  // Finished sequences must not leave timers behind: later advances would fire them for nothing. A
  // development ticket is looked for whatever the model says, as a failed sequence may disagree.
  const workflows = s.env.client.workflow;
  await terminateQuietly(workflows.getHandle(c.ticketWorkflowId(ticketId)));
  await terminateQuietly(workflows.getHandle(c.devTicketWorkflowId(ticketId)));
}

/** One sequence, as fast-check runs it: commands whose precondition fails are skipped. */
async function runSequence(priority: ModelPriority, commands: ReadonlyArray<fc.AsyncCommand<TicketModel, Real>>): Promise<void> {
  stats.sequences += 1;
  let opened: { model: TicketModel; real: Real } | undefined;
  let ticketId: string | undefined;
  try {
    opened = await timed('open', () => openTicket(priority, (id) => (ticketId = id)));
    for (const cmd of commands) if (cmd.check(opened.model)) await cmd.run(opened.model, opened.real);
    await timed('records', () => checkRecords(opened!.model, opened!.real));
    await timed('replay', () => checkReplay(opened!.model, opened!.real));
    bump(stats.statuses, opened.model.status);
  } finally {
    await timed('cleanup', () => cleanup(ticketId));
  }
}

const cmd = {
  respond: new ActionCommand({ type: 'respond' }, 'respond'),
  requestInfo: new ActionCommand({ type: 'request_info' }, 'requestInfo'),
  customerReply: new ActionCommand({ type: 'customer_reply' }, 'customerReply'),
  priority: (p: string) => new ActionCommand({ type: 'change_priority', priority: p }, `priority(${p})`),
  escalate: new ActionCommand({ type: 'escalate' }, 'escalate'),
  devProgress: new ActionCommand({ type: 'dev_progress' }, 'devProgress'),
  devResolve: new ActionCommand({ type: 'dev_resolve' }, 'devResolve'),
  resolve: (k: string) => new ActionCommand({ type: 'resolve', kind: k }, `resolve(${k})`),
  reopen: new ActionCommand({ type: 'reopen' }, 'reopen'),
  close: new ActionCommand({ type: 'close' }, 'close'),
  advance: (t: number) => new AdvanceCommand(t),
};

describe('the ticket workflow against a hand-written model (fast-check commands, time-skipping server)', () => {
  // Fails, shrunk to a few commands, while the model's KNOWN BUG switches are true and the workflow is unchanged.
  it(
    `${NUM_RUNS} random sequences of up to ${MAX_COMMANDS} actions and clock advances keep the model's status, refusals, deadlines and breaches`,
    async () => {
      const started = Date.now();
      let firstFailure = false;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...PRIORITY_ORDER),
          fc.commands([COMMAND], { maxCommands: MAX_COMMANDS, size: 'max' }),
          async (priority, cmds) => {
            stats.sequences += 1;
            if (TRACE) console.log(`sequence ${stats.sequences}: ${priority}`);
            let opened: { model: TicketModel; real: Real } | undefined;
            let ticketId: string | undefined;
            try {
              await fc.asyncModelRun(async () => {
                opened = await timed('open', () => openTicket(priority, (id) => (ticketId = id)));
                return opened;
              }, cmds);
              await timed('records', () => checkRecords(opened!.model, opened!.real));
              await timed('replay', () => checkReplay(opened!.model, opened!.real));
              bump(stats.statuses, opened!.model.status);
            } catch (err) {
              // fast-check reports the shrunk counterexample's error; the first one, before the server's
              // clock moved on, is the one that explains it.
              if (!firstFailure) {
                firstFailure = true;
                console.error(`ticket model: sequence ${stats.sequences} (${priority}) failed first: ${cmds.toString()}\n`, err);
              }
              throw err;
            } finally {
              await timed('cleanup', () => cleanup(ticketId));
            }
          },
        ),
        { numRuns: NUM_RUNS },
      );
      const refusals = [...stats.refused.entries()].sort().map(([k, n]) => `${k}=${n}`);
      console.log(
        `ticket model: ${stats.sequences} sequences, ${stats.commands} commands (${stats.accepted} accepted, ${[...stats.refused.values()].reduce((x, y) => x + y, 0)} refused), ` +
          `${stats.breaches} breaches, ${stats.extended} advances carried past a timer and ${stats.cleared} added after actions, ${stats.unlocked} time-skipping locks released, ${stats.autoCloses} automatic closes, ${stats.finished} ended workflows in ${Date.now() - started} ms\n` +
          `  time: ${[...stats.time.entries()].map(([k, t]) => `${k}=${t.n}×${Math.round(t.ms / t.n)}ms`).join(' ')}\n` +
          `  final statuses: ${[...stats.statuses.entries()].map(([k, n]) => `${k}=${n}`).join(' ')}\n  refusals: ${refusals.join(' ')}`,
      );
    },
    15 * 60_000,
  );

  it('a tour of the main path: every status, a pause, development, the automatic close and the end of the workflow', async () => {
    await runSequence('normal', [
      cmd.advance(2 * H),
      cmd.respond,
      cmd.requestInfo,
      cmd.advance(26 * H),
      cmd.customerReply,
      cmd.priority('high'),
      cmd.escalate,
      cmd.devProgress,
      cmd.advance(5 * H),
      cmd.devResolve,
      cmd.respond,
      cmd.resolve('workaround'),
      cmd.customerReply,
      cmd.resolve('solution'),
      cmd.advance(9 * DAY),
      cmd.reopen,
      cmd.resolve('solution'),
      cmd.close,
      cmd.advance(20 * DAY),
      cmd.respond,
    ]);
  }, 60_000);

  /**
   * Found by the random sequences (seed -8885626): raising the priority of a waiting ticket makes clocks
   * due at once, so the update's commit and the main loop's ran side by side as local activities, and the
   * history did not replay (UpsertWorkflowSearchAttributesMachine met WorkflowExecutionUpdateCompleted).
   */
  it('an action whose commit meets commits of deadlines it made due replays', async () => {
    await runSequence('low', [
      cmd.advance(DAY + 17 * H),
      cmd.advance(3 * DAY + 17 * H),
      cmd.customerReply,
      cmd.priority('high'),
      cmd.resolve('workaround'),
      cmd.advance(12 * DAY + 11 * H),
    ]);
  }, 60_000);

  /**
   * KNOWN BUG, kept failing on purpose (see FIRST_REPLY_ENDS_FIRST_RESPONSE_IN_ANY_STATUS in the model):
   * the agent's first public reply on a ticket escalated before anyone answered does not end the
   * first-response clock: `first_response` stays in view.deadlines, firstRespondedAt is never set, and the
   * clock breaches at its deadline although the customer was answered in time.
   */
  it('the first reply after escalating a new ticket is its first response', async () => {
    await runSequence('normal', [cmd.escalate, cmd.respond, cmd.advance(2 * DAY)]);
  }, 60_000);

  /**
   * KNOWN BUG, kept failing on purpose (see DEV_TICKET_ACCEPTS_ACTIONS_AFTER_PARENT_ENDED in the model):
   * the development ticket outlives its customer ticket, but once the customer ticket's workflow has ended
   * development's progress fails with ExternalWorkflowExecutionNotFound (not a domain code) after the
   * development ticket recorded it, and the same for the fix, which resolves the development ticket anyway.
   */
  it('development can still report on its ticket after the customer ticket ended', async () => {
    await runSequence('low', [
      cmd.respond,
      cmd.escalate,
      cmd.resolve('solution'),
      cmd.close,
      cmd.advance(20 * DAY),
      cmd.devProgress,
      cmd.devResolve,
      // The development ticket ended after its customer ticket: time still skips (see releaseOrphanLock).
      cmd.advance(2 * DAY),
    ]);
  }, 60_000);
});
