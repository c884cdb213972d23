import type { Db } from '../db/client';
import { compileCalendar, type CalendarInput } from '../domain/calendar/index';
import { policyRef, type Priority, type SupportPolicy } from '../domain/ticket/core';
import type { CalendarStore } from '../tickets/calendar-store';
import { pinnedTermsQuery, reportQuery, type ReportScope } from './sla-report-sql';
import { promisedClocks, reportRow, timeToMeetMs, type GroupBy, type MetClock, type ReportClock, type ReportRow } from './sla-report';

export interface SlaReportDeps {
  db: Db;
  /** The exact version a ticket pinned (stored versions, then the presets the process runs with). */
  pinnedPolicy(id: string, version: number): Promise<SupportPolicy | undefined>;
  calendars: CalendarStore;
}

type GroupRow = {
  group: string;
  clock: ReportClock;
  count: number;
  met: number;
  breached: number;
  pending: number;
  met_clocks: Array<Omit<MetClock, 'pauses'> & { pauses: Array<{ start: number; end: number | null }> }>;
};

const termsKey = (id: string, version: number) => `${id}@${version}`;

/**
 * The SLA report: SQL derives every clock instance from the journal and counts and groups them; only the
 * time to meet is measured here, on the engine and the pinned policy's calendar, which SQL cannot do.
 */
export async function slaReport(deps: SlaReportDeps, scope: ReportScope, groupBy: GroupBy): Promise<ReportRow[]> {
  const terms = await deps.db.execute<{ policy_id: string; policy_version: number; priority: Priority }>(pinnedTermsQuery(scope, groupBy));
  const policies = new Map<string, SupportPolicy>();
  const calendars = new Map<string, CalendarInput>();
  const targets: Array<{ policy_id: string; version: number; priority: string; clocks: ReportClock[] }> = [];
  for (const t of terms) {
    const key = termsKey(t.policy_id, t.policy_version);
    let policy = policies.get(key);
    if (!policy) {
      // A version no store holds any more cannot be judged; its tickets are left out rather than guessed.
      policy = await deps.pinnedPolicy(t.policy_id, t.policy_version);
      if (!policy) continue;
      policies.set(key, policy);
    }
    if (!calendars.has(policy.calendarId)) {
      const spec = await deps.calendars.get(policy.calendarId);
      if (!spec) throw new Error(`policy ${policyRef(policy)} names unknown calendar "${policy.calendarId}"`);
      calendars.set(policy.calendarId, compileCalendar(spec));
    }
    targets.push({ policy_id: t.policy_id, version: t.policy_version, priority: t.priority, clocks: promisedClocks(policy, t.priority) });
  }
  if (targets.length === 0) return [];
  const rows = await deps.db.execute<GroupRow>(reportQuery(scope, groupBy, targets));
  return rows.map((r) => {
    const times = r.met_clocks.map((m) => {
      const policy = policies.get(termsKey(m.policyId, m.policyVersion)) as SupportPolicy;
      const calendar = calendars.get(policy.calendarId) as CalendarInput;
      const pauses = m.pauses.map((p) => (p.end === null ? { start: p.start } : { start: p.start, end: p.end }));
      return timeToMeetMs(r.clock, { ...m, startedAt: Number(m.startedAt), stoppedAt: Number(m.stoppedAt), pauses }, policy, calendar);
    });
    const { group, clock, count, met, breached, pending } = r;
    return reportRow({ group, clock, count, met, breached, pending }, times);
  });
}
