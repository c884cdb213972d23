import type { CalendarInput, PauseInterval } from '../domain/calendar/core';
import {
  consumedMs,
  isPausable,
  targetFor,
  type ClockKind,
  type Priority,
  type ResolutionLevel,
  type SupportPolicy,
} from '../domain/ticket/core';

/** Resolution is reported per level: a ticket escalated to development is judged on the second-level target. */
export const REPORT_CLOCKS = [
  'first_response',
  'next_reply',
  'periodic_update',
  'resolution_first_level',
  'resolution_second_level',
  'callback',
] as const;
export type ReportClock = (typeof REPORT_CLOCKS)[number];

export const GROUP_BYS = ['policy', 'priority', 'customer', 'week'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** A year and a day, so a leap year's report fits; beyond that one query scans too much of the journal. */
export const MAX_RANGE_DAYS = 366;

export function engineClock(clock: ReportClock): { kind: ClockKind; level: ResolutionLevel } {
  if (clock === 'resolution_first_level') return { kind: 'resolution', level: 'first' };
  if (clock === 'resolution_second_level') return { kind: 'resolution', level: 'second' };
  return { kind: clock, level: 'first' };
}

/** The report clocks a pinned policy promises at a priority; SQL counts only these. */
export function promisedClocks(policy: SupportPolicy, priority: Priority): ReportClock[] {
  if (!policy.priorities[priority]) return [];
  return REPORT_CLOCKS.filter((clock) => {
    const { kind, level } = engineClock(clock);
    return targetFor({ policy, priority, resolutionLevel: level }, kind) !== undefined;
  });
}

/** One clock instance that was met, as the journal query derives it. */
export interface MetClock {
  policyId: string;
  policyVersion: number;
  priority: Priority;
  startedAt: number;
  stoppedAt: number;
  /** Waiting on the customer (and resolved-then-reopened spans) before the stop; only pausable clocks use them. */
  pauses: PauseInterval[];
}

/**
 * Time to meet on the clock's own basis, through the same engine the workflow times deadlines with:
 * business time on the pinned policy's calendar for business targets, wall time for wall targets,
 * pauses left out for the clocks that pause.
 */
export function timeToMeetMs(clock: ReportClock, met: MetClock, policy: SupportPolicy, calendar: CalendarInput): number {
  const { kind, level } = engineClock(clock);
  const target = targetFor({ policy, priority: met.priority, resolutionLevel: level }, kind);
  if (!target) throw new Error(`policy ${policy.id}@${policy.version} promises no ${clock} at ${met.priority}`);
  const pauses = isPausable(kind) ? met.pauses : [];
  return consumedMs({ kind, startedAt: met.startedAt, target, pauses, stoppedAt: met.stoppedAt }, calendar, met.stoppedAt);
}

/** Nearest rank: the value is one that was measured, never an interpolation between two tickets. */
export function percentile(sortedAsc: readonly number[], p: number): number | null {
  if (sortedAsc.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAsc.length));
  return sortedAsc[rank - 1] as number;
}

export interface ReportRow {
  group: string;
  clock: ReportClock;
  count: number;
  met: number;
  breached: number;
  pending: number;
  /** met / (met + breached), two decimals; null when none was decided yet. */
  percentMet: number | null;
  /** Whole seconds, rounded down: a clock met at 3.9 s of a 4 s target reads 3, never the target. */
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export function percentMet(met: number, breached: number): number | null {
  const decided = met + breached;
  return decided === 0 ? null : Math.round((met / decided) * 10_000) / 100;
}

export function reportRow(counts: Omit<ReportRow, 'percentMet' | 'p50Seconds' | 'p90Seconds'>, timesMs: readonly number[]): ReportRow {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const secs = (v: number | null) => (v === null ? null : Math.floor(v / 1000));
  return {
    ...counts,
    percentMet: percentMet(counts.met, counts.breached),
    p50Seconds: secs(percentile(sorted, 50)),
    p90Seconds: secs(percentile(sorted, 90)),
  };
}

export type RangeProblem = { code: 'report_range_inverted' | 'report_range_too_long'; detail: string };

export function checkRange(from: number, to: number): RangeProblem | undefined {
  if (from >= to) return { code: 'report_range_inverted', detail: '`from` must be before `to`.' };
  if (to - from > MAX_RANGE_DAYS * 86_400_000) {
    return { code: 'report_range_too_long', detail: `The range may span at most ${MAX_RANGE_DAYS} days.` };
  }
  return undefined;
}

const CSV_COLUMNS = ['group', 'clock', 'count', 'met', 'breached', 'pending', 'percent_met', 'p50_seconds', 'p90_seconds'];

/** Quoted where needed; a leading =, +, - or @ is defused so a spreadsheet never runs a group name as a formula. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly ReportRow[]): string {
  const lines = rows.map((r) =>
    [r.group, r.clock, r.count, r.met, r.breached, r.pending, r.percentMet, r.p50Seconds, r.p90Seconds].map(csvField).join(','),
  );
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
