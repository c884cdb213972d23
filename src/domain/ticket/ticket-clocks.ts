import type { CalendarInput } from '../calendar/index';
import type { ClockEffect } from './actions';
import { priorityTargets, resolutionTarget, type SupportPolicy } from './policy';
import type { CalendarResolver } from './policy-calendar';
import { deadlineOf, isStopped, pause, resume, retarget, startClock, startClockNotBefore, stop, type SlaClock } from './sla-clock';
import { CLOCK_KINDS, type ClockKind, type Priority, type ResolutionLevel, type Target } from './types';

/** A ticket's clocks, at most one per kind; a kind the policy has no target for is simply absent. */
export type ClockSet = Partial<Record<ClockKind, SlaClock>>;

/** The terms clocks are counted on: which policy, at which priority and resolution level. */
export interface ClockTerms {
  policy: SupportPolicy;
  priority: Priority;
  resolutionLevel: ResolutionLevel;
}

export function targetFor(terms: ClockTerms, kind: ClockKind): Target | undefined {
  const { policy, priority, resolutionLevel } = terms;
  switch (kind) {
    case 'first_response':
      return priorityTargets(policy, priority).firstResponse;
    case 'next_reply':
      return priorityTargets(policy, priority).nextReply;
    case 'periodic_update':
      return priorityTargets(policy, priority).periodicUpdate;
    case 'resolution':
      return resolutionTarget(policy, priority, resolutionLevel);
    case 'callback':
      return policy.phoneCallback;
  }
}

export interface OpeningOptions {
  /** The ticket is a message left on the support line: the call back is owed from the opening (003). */
  phoneMessage?: boolean;
  /** When the customer asked to be called back (requestedCallbackAt); the call is not due before it. */
  callbackAt?: number;
}

/**
 * The clocks a ticket starts with: first response, and resolution and periodic updates where promised;
 * the call back too when the ticket is a phone message and the policy promises one. `calendar` (the
 * policy's) places a requested call back time in the opening hours: without it `callbackAt` is not read.
 */
export function openingClocks(terms: ClockTerms, openedAt: number, options: OpeningOptions = {}, calendar?: CalendarInput): ClockSet {
  const clocks: ClockSet = {};
  const kinds: ClockKind[] = ['first_response', 'resolution', 'periodic_update'];
  if (options.phoneMessage) kinds.push('callback');
  for (const kind of kinds) {
    const target = targetFor(terms, kind);
    if (!target) continue;
    const { callbackAt } = options;
    clocks[kind] =
      kind === 'callback' && callbackAt !== undefined && calendar
        ? startClockNotBefore(kind, target, openedAt, callbackAt, calendar)
        : startClock(kind, target, openedAt);
  }
  return clocks;
}

/** A call back is owed: the callback clock runs (it may have breached; the call is still owed). */
export function callbackPending(clocks: ClockSet): boolean {
  return running(clocks.callback);
}

export interface ClockEffectContext {
  now: number;
  /** Terms before the decision; a retarget effect replaces them for the effects after it. */
  terms: ClockTerms;
  resolvePolicy: (policyId: string) => SupportPolicy;
  calendarOf: CalendarResolver;
}

function running(clock: SlaClock | undefined): clock is SlaClock {
  return clock !== undefined && !isStopped(clock);
}

/** Applies a decision's clock effects in order; returns the new clock set and the terms now in force. */
export function applyClockEffects(
  clocks: ClockSet,
  effects: readonly ClockEffect[],
  ctx: ClockEffectContext,
): { clocks: ClockSet; terms: ClockTerms } {
  const { calendarOf } = ctx;
  const { now } = ctx;
  let terms = ctx.terms;
  const next: ClockSet = { ...clocks };
  for (const effect of effects) {
    switch (effect.type) {
      case 'start':
      case 'restart': {
        if (effect.type === 'start' && running(next[effect.kind])) break;
        const target = targetFor(terms, effect.kind);
        const notBefore = effect.type === 'start' ? effect.notBefore : undefined;
        if (!target) delete next[effect.kind];
        else if (notBefore === undefined) next[effect.kind] = startClock(effect.kind, target, now);
        else next[effect.kind] = startClockNotBefore(effect.kind, target, now, notBefore, calendarOf(terms.policy));
        break;
      }
      case 'stop': {
        const clock = next[effect.kind];
        if (clock) next[effect.kind] = stop(clock, now);
        break;
      }
      case 'pause': {
        const clock = next[effect.kind];
        if (clock) next[effect.kind] = pause(clock, now);
        break;
      }
      case 'resume': {
        const clock = next[effect.kind];
        if (clock) next[effect.kind] = resume(clock, now);
        break;
      }
      case 'retarget': {
        const newTerms: ClockTerms = {
          policy: effect.policyId === terms.policy.id ? terms.policy : ctx.resolvePolicy(effect.policyId),
          priority: effect.priority,
          resolutionLevel: effect.resolutionLevel,
        };
        const oldCalendar = calendarOf(terms.policy);
        const newCalendar = calendarOf(newTerms.policy);
        for (const kind of CLOCK_KINDS) {
          const clock = next[kind];
          if (clock === undefined && (kind === 'resolution' || kind === 'periodic_update')) {
            // The new terms promise something the old ones did not: it counts from the change.
            const target = targetFor(newTerms, kind);
            if (target) next[kind] = startClock(kind, target, now);
            continue;
          }
          if (!running(clock)) continue;
          const target = targetFor(newTerms, kind);
          // The new terms promise nothing of this kind (e.g. no resolution time): the clock ends here.
          if (!target) next[kind] = stop(clock, now);
          else next[kind] = retarget(clock, oldCalendar, newCalendar, target, now).clock;
        }
        terms = newTerms;
        break;
      }
      case 'schedule_auto_close':
      case 'cancel_auto_close':
        // Not an SLA clock: the ticket state carries autoCloseAt (see evolve).
        break;
    }
  }
  return { clocks: next, terms };
}

/** The instants the workflow should set timers for: every running, unpaused clock's deadline. */
export function dueInstants(clocks: ClockSet, calendar: CalendarInput): Partial<Record<ClockKind, number>> {
  const due: Partial<Record<ClockKind, number>> = {};
  for (const kind of CLOCK_KINDS) {
    const clock = clocks[kind];
    if (!running(clock)) continue;
    const at = deadlineOf(clock, calendar);
    if (at !== undefined && Number.isFinite(at)) due[kind] = at;
  }
  return due;
}
