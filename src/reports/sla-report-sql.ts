import { sql, type SQL } from 'drizzle-orm';
import type { GroupBy } from './sla-report';

export interface ReportScope {
  from: Date;
  to: Date;
  policyId?: string;
  customerId?: string;
}

const GROUP_KEYS: Record<GroupBy, SQL> = {
  policy: sql`b.policy_id`,
  priority: sql`b.priority`,
  customer: sql`b.customer_id`,
  // ISO weeks start on Monday; the week of the opening instant in UTC, named by its Monday.
  week: sql`to_char(date_trunc('week', b.opened_at at time zone 'UTC'), 'YYYY-MM-DD')`,
};

/** Tickets opened in [from, to): the report counts every clock of a ticket in the period the ticket opened in. */
export function scopeCte(scope: ReportScope, groupBy: GroupBy): SQL {
  const filters = [
    scope.policyId === undefined ? sql`` : sql` and t.policy_id = ${scope.policyId}`,
    scope.customerId === undefined ? sql`` : sql` and t.customer_id = ${scope.customerId}`,
  ];
  return sql`
    base as (
      select t.id, t.policy_id, t.policy_version, t.customer_id, t.channel, t.opened_at,
             coalesce(o.data->>'priority', t.priority) as priority
      from tickets t
      left join ticket_events o on o.ticket_id = t.id and o.event_key = 'opened'
      where t.opened_at >= ${scope.from.toISOString()}::timestamptz and t.opened_at < ${scope.to.toISOString()}::timestamptz
      ${sql.join(filters, sql``)}
    ),
    s as (select b.*, ${GROUP_KEYS[groupBy]} as grp from base b)`;
}

/**
 * Which (clock, role) each status-bearing journal event is, replaying lifecycle.ts's clock effects from the
 * kind and the status before and after it (every action event records the status it left the ticket in).
 * start: begins the clock unless it runs; restart: always begins a fresh one; stop: ends it.
 */
const MARKS = sql`
  marks as (
    select ev.*, m.clock, m.role from ev cross join lateral (values
      ('first_response', case when kind = 'opened' then 'start'
                              when kind in ('respond', 'request_info', 'resolve', 'callback') then 'stop' end),
      ('next_reply', case when kind in ('customer_reply', 'phone_message', 'reopen')
                               and status not in ('new', 'waiting_on_customer', 'resolved', 'closed') then 'start'
                          when kind = 'dev_resolved' and prev_status = 'escalated' then 'start'
                          when kind in ('respond', 'request_info', 'resolve', 'callback') then 'stop' end),
      ('callback', case when kind = 'phone_message' or (kind = 'opened' and channel = 'phone') then 'start'
                        when kind in ('callback', 'resolve') then 'stop' end),
      ('periodic_update', case when kind in ('opened', 'reopen', 'periodic_update') then 'restart'
                               when kind in ('respond', 'callback') and status not in ('waiting_on_customer', 'resolved', 'closed') then 'restart'
                               when kind in ('customer_reply', 'phone_message') and prev_status in ('waiting_on_customer', 'resolved', 'closed')
                                    and status not in ('waiting_on_customer', 'resolved', 'closed') then 'restart'
                               when kind in ('request_info', 'resolve') then 'stop' end)
    ) as m(clock, role)
    where m.role is not null
  )`;

const ms = (col: string) => sql.raw(`round(extract(epoch from ${col}) * 1000)::bigint`);

/**
 * Every clock instance of the tickets in scope, with its outcome: breached when a breach event of that
 * clock falls within its run, met when it stopped without one, pending otherwise. `targets` lists, per
 * pinned (policy, version, priority), the clocks the policy promises; instances of others are dropped.
 */
export function reportQuery(scope: ReportScope, groupBy: GroupBy, targets: unknown[]): SQL {
  return sql`
  with ${scopeCte(scope, groupBy)},
  ev as (
    select e.ticket_id, e.id, e.kind, e.at, e.data->>'status' as status, s.channel,
           lag(e.data->>'status') over (partition by e.ticket_id order by e.at, e.id) as prev_status
    from ticket_events e join s on s.id = e.ticket_id
    where e.data ? 'status'
  ),
  ${MARKS},
  segmented as (
    select marks.*, coalesce(sum(case when role = 'stop' then 1 else 0 end) over (
             partition by ticket_id, clock order by at, id rows between unbounded preceding and 1 preceding), 0) as seg
    from marks where clock <> 'periodic_update'
  ),
  once as (
    select ticket_id, clock, min(at) filter (where role = 'start') as started_at, min(at) filter (where role = 'stop') as stopped_at
    from segmented group by ticket_id, clock, seg
    having count(*) filter (where role = 'start') > 0
  ),
  rhythm as (
    select ticket_id, clock, at as started_at, role,
           lead(at) over (partition by ticket_id order by at, id) as stopped_at
    from marks where clock = 'periodic_update'
  ),
  last_status as (
    select distinct on (ticket_id) ticket_id, status from ev order by ticket_id, at desc, id desc
  ),
  last_resolve as (
    select ticket_id, max(at) as at from ev where kind = 'resolve' group by ticket_id
  ),
  escalated as (
    select x.ticket_id, min(x.at) as at from ticket_events x join s on s.id = x.ticket_id where x.kind = 'escalate' group by x.ticket_id
  ),
  resolution as materialized (
    select s.id as ticket_id,
           case when x.at is not null then 'resolution_second_level' else 'resolution_first_level' end as clock,
           s.opened_at as started_at,
           case when l.status in ('resolved', 'closed') then r.at end as stopped_at,
           x.at as escalated_at
    from s left join last_status l on l.ticket_id = s.id left join last_resolve r on r.ticket_id = s.id
    left join escalated x on x.ticket_id = s.id
  ),
  -- Materialized, as are resolution and pauses: inlined, the planner re-ran each once per ticket (a
  -- nested loop), which took 17 s over 2,200 tickets where one pass takes milliseconds.
  instances as materialized (
    select ticket_id, clock, started_at, stopped_at, null::timestamptz as escalated_at from once
    union all select ticket_id, clock, started_at, stopped_at, null from rhythm where role = 'restart'
    union all select ticket_id, clock, started_at, stopped_at, escalated_at from resolution
  ),
  -- 003: "within 1 working day, in case of first level intervention, and within 4 working days, in case of
  -- second level": once escalated only the second-level promise applies, so the first level's breach (fired
  -- before the escalation) does not count against it. A breach names its level; one written before breaches
  -- did is second level only when it fell after the escalation: a first-level deadline falls no later.
  judged as materialized (
    select i.*, s.grp, s.policy_id, s.policy_version, s.priority, row_number() over () as jid,
           case when exists (
                  select 1 from ticket_events b
                  where b.ticket_id = i.ticket_id and b.kind = 'breach'
                    and b.data->>'clock' = (case when i.clock like 'resolution_%' then 'resolution' else i.clock end)
                    and b.at >= i.started_at and (i.stopped_at is null or b.at <= i.stopped_at)
                    and (i.clock <> 'resolution_second_level' or b.data->>'level' = 'second'
                         or (b.data->>'level' is null and b.at > i.escalated_at)))
                then 'breached'
                when i.stopped_at is not null then 'met'
                else 'pending' end as outcome
    from instances i join s on s.id = i.ticket_id
    join jsonb_to_recordset(${JSON.stringify(targets)}::jsonb) as tg(policy_id text, version int, priority text, clocks jsonb)
      on tg.policy_id = s.policy_id and tg.version = s.policy_version and tg.priority = s.priority and tg.clocks ? i.clock
  ),
  paused_runs as (
    select ticket_id, at, id, status in ('waiting_on_customer', 'resolved', 'closed') as paused,
           lag(status in ('waiting_on_customer', 'resolved', 'closed')) over (partition by ticket_id order by at, id) as was_paused
    from ev
  ),
  -- Each pause ends at the ticket's next unpaused status: a window over the ticket's own few events,
  -- where a correlated lookup rescanned the whole journal per pause.
  pauses as materialized (
    select ticket_id, start_at, end_at from (
      select ticket_id, at as start_at, paused, was_paused,
             min(case when not paused then at end) over (
               partition by ticket_id order by at, id rows between 1 following and unbounded following) as end_at
      from paused_runs
    ) r
    where paused and not coalesce(was_paused, false)
  ),
  -- Each met clock with its pauses, joined once (hash) instead of looked up per clock, then grouped:
  -- the counts and these lists meet per (group, clock), a handful of rows.
  met as materialized (
    select j.grp, j.clock, json_build_object(
             'policyId', j.policy_id, 'policyVersion', j.policy_version, 'priority', j.priority,
             'startedAt', ${ms('j.started_at')}, 'stoppedAt', ${ms('j.stopped_at')},
             'pauses', coalesce(json_agg(json_build_object('start', ${ms('p.start_at')}, 'end', ${ms('p.end_at')}) order by p.start_at)
                                filter (where p.ticket_id is not null), '[]'::json)) as met_clock
    from judged j left join pauses p on p.ticket_id = j.ticket_id and p.start_at < j.stopped_at and p.start_at >= j.started_at
    where j.outcome = 'met'
    group by j.jid, j.grp, j.clock, j.policy_id, j.policy_version, j.priority, j.started_at, j.stopped_at
  ),
  met_by_group as (
    select grp, clock, json_agg(met_clock) as met_clocks from met group by grp, clock
  ),
  counted as (
    select j.grp, j.clock,
           count(*)::int as count,
           count(*) filter (where j.outcome = 'met')::int as met,
           count(*) filter (where j.outcome = 'breached')::int as breached,
           count(*) filter (where j.outcome = 'pending')::int as pending
    from judged j
    group by j.grp, j.clock
  )
  select c.grp as "group", c.clock, c.count, c.met, c.breached, c.pending, coalesce(m.met_clocks, '[]'::json) as met_clocks
  from counted c left join met_by_group m on m.grp = c.grp and m.clock = c.clock
  order by c.grp, c.clock`;
}

/** The pinned terms in scope, so the caller can say which clocks each promises before the report runs. */
export function pinnedTermsQuery(scope: ReportScope, groupBy: GroupBy): SQL {
  return sql`
  with ${scopeCte(scope, groupBy)}
  select distinct policy_id, policy_version, priority from s`;
}
