import type { CalendarInput } from '../../src/domain/calendar/core';
import { CLOCK_KINDS, deadlineOf, isPaused, isStopped, remainingMs, type ClockKind, type ClockSet } from '../../src/domain/ticket/core';

/** What happened to one SLA clock between two recorded versions of a ticket (issue 15, item 2). */
export enum ClockChange {
  Started = 'started',
  Paused = 'paused',
  Resumed = 'resumed',
  Retargeted = 'retargeted',
  Restarted = 'restarted',
  Stopped = 'stopped',
}

export interface ClockStatus {
  state: 'running' | 'paused' | 'stopped';
  startedAt: number;
  dueAt?: number;
  /** While paused: what is left of the target, which the due instant counts from once the clock runs again. */
  remainingMs?: number;
}

export interface ClockChangeRecord {
  clock: ClockKind;
  change: ClockChange;
  fromDueAt?: number;
  toDueAt?: number;
  remainingMs?: number;
}

export function clockStatuses(clocks: ClockSet, calendar: CalendarInput, now: number): Partial<Record<ClockKind, ClockStatus>> {
  const out: Partial<Record<ClockKind, ClockStatus>> = {};
  for (const kind of CLOCK_KINDS) {
    const clock = clocks[kind];
    if (!clock) continue;
    const dueAt = deadlineOf(clock, calendar);
    const due = dueAt !== undefined && Number.isFinite(dueAt) ? { dueAt } : {};
    if (isStopped(clock)) out[kind] = { state: 'stopped', startedAt: clock.startedAt, ...due };
    else if (isPaused(clock)) out[kind] = { state: 'paused', startedAt: clock.startedAt, remainingMs: remainingMs(clock, calendar, now) };
    else out[kind] = { state: 'running', startedAt: clock.startedAt, ...due };
  }
  return out;
}

function changeOf(before: ClockStatus | undefined, after: ClockStatus | undefined): ClockChange | undefined {
  const was = before?.state ?? 'stopped';
  const is = after?.state ?? 'stopped';
  if (was === 'stopped') return is === 'stopped' ? undefined : ClockChange.Started;
  if (is === 'stopped') return ClockChange.Stopped;
  if (before!.startedAt !== after!.startedAt) return ClockChange.Restarted;
  if (was === 'running' && is === 'paused') return ClockChange.Paused;
  if (was === 'paused' && is === 'running') return ClockChange.Resumed;
  if (was === 'running' && before!.dueAt !== after!.dueAt) return ClockChange.Retargeted;
  return undefined;
}

/** Each clock that changed, with its due instant before and after: the answer to "why is this deadline what it is". */
export function clockChanges(
  before: Partial<Record<ClockKind, ClockStatus>>,
  after: Partial<Record<ClockKind, ClockStatus>>,
): ClockChangeRecord[] {
  const out: ClockChangeRecord[] = [];
  for (const clock of CLOCK_KINDS) {
    const b = before[clock];
    const a = after[clock];
    const change = changeOf(b, a);
    if (!change) continue;
    out.push({
      clock,
      change,
      ...(b?.dueAt !== undefined && b.state !== 'stopped' ? { fromDueAt: b.dueAt } : {}),
      ...(a?.dueAt !== undefined && a.state === 'running' ? { toDueAt: a.dueAt } : {}),
      ...(a?.remainingMs !== undefined ? { remainingMs: a.remainingMs } : {}),
    });
  }
  return out;
}
