import { z } from 'zod';
import type { Db } from '../db/client';
import { slaReport } from '../reports/sla-report-query';
import { checkRange, GROUP_BYS, REPORT_CLOCKS, toCsv, type GroupBy } from '../reports/sla-report';
import type { CalendarStore } from '../tickets/calendar-store';
import type { PolicyStore } from '../tickets/policy-store';
import { pinnedPolicy } from './policies-routes';
import { Problem } from './problem';
import type { Api } from './route';
import { instant, resourceId, slugId } from './schemas';

export const slaReportQuery = z.strictObject({
  from: instant.describe('Start of the period (inclusive): tickets opened at or after it.'),
  to: instant.describe('End of the period (exclusive); at most 366 days after `from`.'),
  // A plain string, so an unknown value gets its own code (unknown_group_by) instead of a generic one.
  groupBy: z
    .string()
    .optional()
    .meta({ enum: [...GROUP_BYS], description: 'Rows per policy (default), priority, customer or ISO week (Monday, UTC).' }),
  format: z.enum(['json', 'csv']).optional().describe('csv: text/csv with a header row, one line per row of the JSON answer.'),
  policyId: slugId.optional().describe('Only tickets pinned to this policy.'),
  customerId: resourceId.optional().describe('Only this customer’s tickets.'),
});

const rowSchema = z.strictObject({
  group: z.string().describe('The policy id, priority, customer id or the week’s Monday (YYYY-MM-DD).'),
  clock: z.enum(REPORT_CLOCKS),
  count: z.number().int().describe('Clock instances: met + breached + pending.'),
  met: z.number().int().describe('Stopped (the promise kept) before its deadline, with no breach recorded.'),
  breached: z.number().int().describe('A breach event was recorded for it (whether or not it stopped later).'),
  pending: z.number().int().describe('Still running, not yet due (or its breach not recorded yet); not in percentMet.'),
  percentMet: z.number().nullable().describe('met / (met + breached) in percent, two decimals; null when none was decided.'),
  p50Seconds: z.number().int().nullable().describe('Median time to meet of the met clocks, whole business seconds (pauses excluded).'),
  p90Seconds: z.number().int().nullable().describe('90th percentile (nearest rank) of the same.'),
});

export const slaReportSchema = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(GROUP_BYS),
    countedBy: z.literal('ticket_opened').describe('A clock counts in the period its ticket was opened in.'),
    rows: z.array(rowSchema),
  })
  .meta({ id: 'SlaReport' });

export interface ReportRoutesDeps {
  db: Db;
  policies: PolicyStore;
  calendars: CalendarStore;
}

function groupByOf(value: string | undefined): GroupBy {
  const groupBy = value ?? 'policy';
  if (!(GROUP_BYS as readonly string[]).includes(groupBy)) {
    throw new Problem(422, 'unknown_group_by', `groupBy must be one of ${GROUP_BYS.join(', ')}.`, [
      { path: 'query.groupBy', message: `expected one of ${GROUP_BYS.join(', ')}` },
    ]);
  }
  return groupBy as GroupBy;
}

export function reportRoutes(api: Api, deps: ReportRoutesDeps): void {
  const reportDeps = {
    db: deps.db,
    calendars: deps.calendars,
    // Presets and stored versions first; then what this process was configured with, if it is that version.
    async pinnedPolicy(id: string, version: number) {
      const pinned = await pinnedPolicy(deps.db, id, version);
      if (pinned) return pinned;
      const configured = await deps.policies.get(id);
      return configured?.version === version ? configured : undefined;
    },
  };

  api.route({
    method: 'get',
    path: '/v1/reports/sla',
    tag: 'Reports',
    summary: 'Read the SLA report',
    description:
      'Per clock (first response, next reply, periodic update, resolution per level, callback) of the tickets opened in [from, to): how many, met, breached and pending, % met, and p50/p90 of the time to meet in business time on the pinned policy version’s calendar, pauses excluded. Derived from the ticket event journal. `format=csv` answers text/csv with a header row.',
    roles: ['staff', 'admin'],
    query: slaReportQuery,
    responses: {
      200: { description: 'The report (or its CSV export with format=csv).', schema: slaReportSchema, alsoAs: 'text/csv' },
      422: { description: 'Invalid query: from not before to, a range over 366 days, or an unknown groupBy.' },
    },
    async handler({ query }) {
      const groupBy = groupByOf(query.groupBy);
      const from = new Date(query.from);
      const to = new Date(query.to);
      const range = checkRange(from.getTime(), to.getTime());
      if (range) throw new Problem(422, range.code, range.detail, [{ path: 'query.to', message: range.detail }]);
      const scope = {
        from,
        to,
        ...(query.policyId ? { policyId: query.policyId } : {}),
        ...(query.customerId ? { customerId: query.customerId } : {}),
      };
      const rows = await slaReport(reportDeps, scope, groupBy);
      if (query.format === 'csv') {
        return {
          status: 200,
          headers: { 'Content-Disposition': 'attachment; filename="sla-report.csv"' },
          text: { contentType: 'text/csv; charset=utf-8; header=present', content: toCsv(rows) },
        };
      }
      const body = { from: from.toISOString(), to: to.toISOString(), groupBy, countedBy: 'ticket_opened' as const, rows };
      return { status: 200, body };
    },
  });
}
