import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

/** Breach lateness (fired − deadline) in seconds: the promise is to the second, a timer slot is milliseconds. */
const LATENESS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',');

type Family = { name: string; help: string; type: 'gauge' | 'counter' | 'histogram'; lines: string[] };

/**
 * What operators alert on, read from the journal at scrape time rather than counted in one process:
 * the API and the workers are separate processes, and rows survive restarts, so every counter here
 * is monotonic (it counts rows that are never deleted) and identical whichever API process answers.
 */
export async function opsMetrics(db: Db, client: Client): Promise<string> {
  const families: Family[] = [];
  const open = await db.execute<{ sla_state: string; policy_id: string; n: string }>(sql`
    select sla_state, policy_id, count(*)::text as n from tickets
    where status not in ('resolved', 'closed', 'cancelled') group by sla_state, policy_id order by 1, 2`);
  families.push({
    name: 'supportflow_open_tickets',
    help: 'Open tickets (not resolved, closed or cancelled) by SLA state and policy.',
    type: 'gauge',
    lines: open.map((r) => `supportflow_open_tickets{${labels({ sla_state: r.sla_state, policy: r.policy_id })}} ${r.n}`),
  });

  const fired = await db.execute<{ kind: string; policy_id: string; clock: string; n: string }>(sql`
    select e.kind, t.policy_id, coalesce(e.data->>'clock', 'unknown') as clock, count(*)::text as n
    from ticket_events e join tickets t on t.id = e.ticket_id
    where e.kind in ('warning', 'breach') group by 1, 2, 3 order by 1, 2, 3`);
  for (const kind of ['warning', 'breach'] as const) {
    const name = `supportflow_sla_${kind === 'warning' ? 'warnings' : 'breaches'}_total`;
    families.push({
      name,
      help: `SLA ${kind === 'warning' ? 'warnings' : 'breaches'} fired, by the ticket's policy and the clock.`,
      type: 'counter',
      lines: fired.filter((r) => r.kind === kind).map((r) => `${name}{${labels({ policy: r.policy_id, clock: r.clock })}} ${r.n}`),
    });
  }

  const buckets = LATENESS_BUCKETS.map((b, i) => sql`count(*) filter (where late <= ${b})::text as ${sql.raw(`b${i}`)}`);
  const [late] = await db.execute<Record<string, string>>(sql`
    with l as (
      select greatest(0, ((data->>'firedAt')::double precision - extract(epoch from at) * 1000) / 1000) as late
      from ticket_events where kind = 'breach' and data ? 'firedAt')
    select ${sql.join(buckets, sql`, `)}, count(*)::text as n, coalesce(sum(late), 0)::text as total from l`);
  const h = 'supportflow_breach_lateness_seconds';
  families.push({
    name: h,
    help: 'How late each breach was recorded after its deadline (fired − deadline).',
    type: 'histogram',
    lines: [
      ...LATENESS_BUCKETS.map((b, i) => `${h}_bucket{le="${b}"} ${late?.[`b${i}`] ?? 0}`),
      `${h}_bucket{le="+Inf"} ${late?.n ?? 0}`,
      `${h}_sum ${late?.total ?? 0}`,
      `${h}_count ${late?.n ?? 0}`,
    ],
  });

  const mail = await db.execute<{ status: string; n: string }>(
    sql`select status, count(*)::text as n from email_outbox group by status order by 1`,
  );
  families.push({
    name: 'supportflow_mails',
    help: 'Mails in the outbox by status: pending (queued or being retried), sent, failed (given up).',
    type: 'gauge',
    lines: mail.map((r) => `supportflow_mails{${labels({ status: r.status })}} ${r.n}`),
  });

  const attention = await client.workflow.count('NeedsAttention = true').then(
    (c) => c.count,
    () => undefined,
  );
  families.push({
    name: 'supportflow_workflows_needing_attention',
    help: 'Ticket and subscription workflows flagged for an operator (an effect refused for good, a cancelled run).',
    type: 'gauge',
    lines: attention === undefined ? [] : [`supportflow_workflows_needing_attention ${attention}`],
  });

  return families.map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.lines].join('\n')).join('\n') + '\n';
}
