import { addBusinessTime, businessTimeBetween, nextOpen, type CalendarInput, type PauseInterval } from '../calendar/core';
import type { ClockBasis, ClockKind, Target } from './types';

/**
 * An SLA clock is a value, not a timer: the workflow computes its deadline once, sleeps until then, and
 * recomputes only when an event (pause, resume, priority change) replaces the clock value.
 */
export interface SlaClock {
  kind: ClockKind;
  startedAt: number;
  target: Target;
  /** Spans during which the clock did not count; at most the last one is open (end undefined). */
  pauses: PauseInterval[];
  /** Set when the promise was kept (or the ticket left the state that owed it). */
  stoppedAt?: number;
  /**
   * Set by retarget: at `at`, `usedMs` had been consumed on the previous terms; from `at` on the clock
   * counts on its current target and calendar. Time already used stays used. Set by startClockNotBefore
   * too: nothing counts before `at` (usedMs 0).
   */
  carried?: { at: number; usedMs: number };
  /**
   * Never due before this instant: the time a customer asked to be called back (003, requested-callback.ts),
   * when it is later than the promise. A business clock's deadline is otherwise the earliest instant its
   * target is used up, which is the close before a closed stretch, not the opening after it.
   */
  notBefore?: number;
}

/**
 * Waiting on the customer stops the clocks that measure our work on the problem (resolution, periodic
 * updates). The response clocks never pause: the first response is owed whatever the customer does,
 * and a next reply is only owed after the customer wrote, so there is nothing to pause.
 */
const PAUSES_WHILE_WAITING: Readonly<Record<ClockKind, boolean>> = {
  first_response: false,
  next_reply: false,
  periodic_update: true,
  resolution: true,
  // The customer asked to be called; waiting on them for something else does not cancel the call.
  callback: false,
};

export function isPausable(kind: ClockKind): boolean {
  return PAUSES_WHILE_WAITING[kind];
}

export function startClock(kind: ClockKind, target: Target, now: number): SlaClock {
  return { kind, startedAt: now, target: { ...target }, pauses: [] };
}

/**
 * A clock started at `now` that is not due before `notBefore` (003: the customer asked to be called back
 * then). A business clock takes the first open instant at or after it: nobody calls while the line is
 * closed. Due at the later of the target counted from `now` and that instant; when the instant is the
 * later, the target is counted back from it and nothing counts before, so the warnings fall the same
 * working time before the deadline as on a clock due after its target.
 */
export function startClockNotBefore(kind: ClockKind, target: Target, now: number, notBefore: number, calendar: CalendarInput): SlaClock {
  const clock = startClock(kind, target, now);
  const due = target.clock === 'business' ? nextOpen(calendar, Math.max(now, notBefore)) : notBefore;
  if (!Number.isFinite(due) || due <= instantAfter(target, calendar, now)) return clock;
  const countsFrom =
    target.clock === 'business' ? addBusinessTime(calendar, now, businessTimeBetween(calendar, now, due) - target.ms) : due - target.ms;
  return { ...clock, carried: { at: countsFrom, usedMs: 0 }, notBefore: due };
}

export function isPaused(clock: SlaClock): boolean {
  const last = clock.pauses[clock.pauses.length - 1];
  return last !== undefined && last.end === undefined;
}

export function isStopped(clock: SlaClock): boolean {
  return clock.stoppedAt !== undefined;
}

/** No-op for kinds that never pause and for clocks already paused or stopped. */
export function pause(clock: SlaClock, now: number): SlaClock {
  if (!isPausable(clock.kind) || isPaused(clock) || isStopped(clock)) return clock;
  return { ...clock, pauses: [...clock.pauses, { start: now }] };
}

/**
 * Ends the open pause. A stopped clock is resumed too (a reopened ticket): the time it was stopped
 * becomes a pause, so the resolution clock continues where it stood when the ticket was resolved.
 */
export function resume(clock: SlaClock, now: number): SlaClock {
  if (clock.stoppedAt !== undefined) {
    const { stoppedAt, ...running } = clock;
    return { ...running, pauses: [...clock.pauses, { start: stoppedAt, end: Math.max(now, stoppedAt) }] };
  }
  if (!isPaused(clock)) return clock;
  const pauses = clock.pauses.slice(0, -1);
  const open = clock.pauses[clock.pauses.length - 1] as PauseInterval;
  return { ...clock, pauses: [...pauses, { start: open.start, end: Math.max(now, open.start) }] };
}

/** Closes an open pause at `now` so a stopped clock's history is complete. */
export function stop(clock: SlaClock, now: number): SlaClock {
  if (isStopped(clock)) return clock;
  const resumed = resume(clock, now);
  return { ...resumed, stoppedAt: now };
}

function countingFrom(clock: SlaClock): { base: number; usedBefore: number } {
  return clock.carried ? { base: clock.carried.at, usedBefore: clock.carried.usedMs } : { base: clock.startedAt, usedBefore: 0 };
}

/** Wall-clock analogue of addBusinessTime: `amount` ms after `start` not counting the pauses. */
function addWallTime(start: number, amount: number, pauses: readonly PauseInterval[]): number {
  const sorted = [...pauses].sort((a, b) => a.start - b.start);
  let t = start;
  let left = amount;
  for (const p of sorted) {
    const end = p.end ?? Number.POSITIVE_INFINITY;
    if (end <= t) continue;
    if (p.start > t) {
      if (p.start - t >= left) break;
      left -= p.start - t;
    }
    t = end;
  }
  return t + left;
}

function wallTimeBetween(a: number, b: number, pauses: readonly PauseInterval[]): number {
  let paused = 0;
  let coveredUntil = a;
  for (const p of [...pauses].sort((x, y) => x.start - y.start)) {
    const from = Math.max(p.start, coveredUntil);
    const to = Math.min(p.end ?? b, b);
    if (to > from) {
      paused += to - from;
      coveredUntil = to;
    }
  }
  return b - a - paused;
}

/** Instant at which the clock will have consumed `amountMs` in total; undefined if it already had at its base. */
function instantOfConsumption(clock: SlaClock, calendar: CalendarInput, amountMs: number): number | undefined {
  const { base, usedBefore } = countingFrom(clock);
  const left = amountMs - usedBefore;
  if (left <= 0) return undefined;
  return clock.target.clock === 'business' ? addBusinessTime(calendar, base, left, clock.pauses) : addWallTime(base, left, clock.pauses);
}

/**
 * When the promise falls due. undefined while paused (no timer to set: the deadline is not known
 * until the clock runs again). A clock whose earlier terms already used more than its current target
 * (a priority raised late) is due at the moment of the change. Stopped clocks keep their deadline so
 * met/breached can be judged.
 */
export function deadlineOf(clock: SlaClock, calendar: CalendarInput): number | undefined {
  if (isPaused(clock)) return undefined;
  const due = instantOfConsumption(clock, calendar, clock.target.ms) ?? countingFrom(clock).base;
  return clock.notBefore !== undefined && clock.notBefore > due ? clock.notBefore : due;
}

/** Time counted against the target up to `now` (or up to the stop), on the clock's own basis. */
export function consumedMs(clock: SlaClock, calendar: CalendarInput, now: number): number {
  const { base, usedBefore } = countingFrom(clock);
  const end = Math.min(now, clock.stoppedAt ?? Number.POSITIVE_INFINITY);
  if (end <= base) return usedBefore;
  const counted =
    clock.target.clock === 'business' ? businessTimeBetween(calendar, base, end, clock.pauses) : wallTimeBetween(base, end, clock.pauses);
  return usedBefore + counted;
}

/** Negative once the target is exceeded (by that much). */
export function remainingMs(clock: SlaClock, calendar: CalendarInput, now: number): number {
  return clock.target.ms - consumedMs(clock, calendar, now);
}

export interface WarningInstant {
  fraction: number;
  at: number;
}

/**
 * When `fraction` of the target will have been used. basis "business" (default for business clocks)
 * counts the fraction on the calendar (75 % of 4 business hours = after 3 business hours); basis
 * "wall" takes the fraction of the wall-clock span from start to deadline. Fractions already passed
 * when the clock was last retargeted are left out; none while paused.
 */
export function warningInstants(
  clock: SlaClock,
  calendar: CalendarInput,
  fractions: readonly number[],
  basis: ClockBasis = clock.target.clock,
): WarningInstant[] {
  if (isPaused(clock) || isStopped(clock)) return [];
  const warnings: WarningInstant[] = [];
  const deadline = deadlineOf(clock, calendar);
  for (const fraction of [...fractions].sort((a, b) => a - b)) {
    let at: number | undefined;
    if (basis === clock.target.clock) {
      at = instantOfConsumption(clock, calendar, Math.round(clock.target.ms * fraction));
    } else if (deadline !== undefined && Number.isFinite(deadline)) {
      // A call back asked for later spans from where it counts: its warnings stay before its deadline.
      const from = clock.notBefore !== undefined ? countingFrom(clock).base : clock.startedAt;
      at = from + Math.round((deadline - from) * fraction);
      if (clock.carried && at < clock.carried.at) at = undefined;
    }
    if (at !== undefined && Number.isFinite(at)) warnings.push({ fraction, at });
  }
  return warnings;
}

/**
 * Priority or policy change: the time already used stays used (measured on the old calendar and
 * target basis), the remainder of the new target counts on the new calendar from `now`. Returns the
 * new clock and its deadline on the new terms so the workflow can re-arm its timer in one step.
 */
export function retarget(
  clock: SlaClock,
  oldCalendar: CalendarInput,
  newCalendar: CalendarInput,
  newTarget: Target,
  now: number,
): { clock: SlaClock; dueAt: number | undefined } {
  if (isStopped(clock)) return { clock, dueAt: deadlineOf(clock, oldCalendar) };
  if (clock.notBefore !== undefined && now < countingFrom(clock).base) {
    // Not counting yet (a call back asked for later): counted back from that time on the new terms.
    const next = startClockNotBefore(clock.kind, newTarget, clock.startedAt, clock.notBefore, newCalendar);
    return { clock: next, dueAt: deadlineOf(next, newCalendar) };
  }
  // From wall time onto business hours (an emergency mitigated), the time used so far is what the new
  // calendar counts of it: hours the business was closed were never business time, not even a few ms.
  const onNewBasis = clock.target.clock === 'wall' && newTarget.clock === 'business';
  const usedMs = onNewBasis
    ? consumedMs({ ...clock, target: { ...clock.target, clock: 'business' } }, newCalendar, now)
    : consumedMs(clock, oldCalendar, now);
  const next: SlaClock = { ...clock, target: { ...newTarget }, carried: { at: now, usedMs } };
  return { clock: next, dueAt: deadlineOf(next, newCalendar) };
}

/** A policy duration counted from `from` (auto-close, reopen window): business on the calendar, or wall. */
export function instantAfter(target: Target, calendar: CalendarInput, from: number): number {
  return target.clock === 'business' ? addBusinessTime(calendar, from, target.ms) : from + target.ms;
}

export type ClockVerdict = 'running' | 'paused' | 'met' | 'breached';

/** breached: the deadline passed before the clock stopped (or before `now` if it still runs). */
export function clockVerdict(clock: SlaClock, calendar: CalendarInput, now: number): ClockVerdict {
  const overdue = remainingMs(clock, calendar, now) < 0;
  if (isStopped(clock)) return overdue ? 'breached' : 'met';
  if (overdue) return 'breached';
  return isPaused(clock) ? 'paused' : 'running';
}
