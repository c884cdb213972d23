import { and, eq, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { businessTimeBetween, compileCalendar, isOpen, type CalendarInput } from '../domain/calendar/index';
import { calendarForPolicy } from '../domain/ticket/policy-calendar';
import { getCalendarPreset } from '../domain/calendar/index';
import { PRIORITIES } from '../domain/ticket/index';
import type { CalendarStore } from './calendar-store';
import type { PolicyStore } from './policy-store';

export interface QueueFilter {
  assignee?: string;
  unassigned?: boolean;
  status?: string;
  priority?: string;
  policyId?: string;
  customerId?: string;
  slaState?: string;
  /** handling (default): higher priority first, then what breaches next; deadline: what breaches next only. */
  sort?: QueueSort;
  limit: number;
}

export const QUEUE_SORTS = ['handling', 'deadline'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueRow {
  id: string;
  subject: string;
  customerId: string;
  policyId: string;
  priority: string;
  status: string;
  slaState: string;
  assignee: string | null;
  openedAt: string;
  /** The earliest deadline still owed (a missed one first: it is being worked on late). */
  next: { clock: string; dueAt: string } | null;
  /** Business time left on the policy's calendar, negative when missed; ticks only while `calendarOpen`. */
  businessMsLeft: number | null;
  calendarOpen: boolean;
  calendarId: string | null;
}

const OVER = ['resolved', 'closed', 'cancelled'];

/**
 * The staff queue. By default a higher priority comes first: 003 Premium promises "higher priority in
 * the handling of requests" (seed 003 line 30), and its tickets open at `high` where Standard's are
 * `normal`; an emergency (`urgent`) tops every queue. Within a priority, and in `deadline` order, what
 * breaches next comes first: the earliest deadline still in the ticket's `deadlines` (the workflow nulls
 * a clock once it stops), so a missed promise sorts above one still running; tickets with nothing owed
 * come last, oldest first.
 */
export async function queue(db: Db, deps: { policies: PolicyStore; calendars: CalendarStore }, f: QueueFilter, now: number) {
  const next = sql<string | null>`(select min(value::timestamptz) from jsonb_each_text(${tickets.deadlines}) where value is not null)`;
  const rank = sql`array_position(${sql.raw(`array[${PRIORITIES.map((p) => `'${p}'`).join(',')}]`)}::text[], ${tickets.priority}::text)`;
  const where: SQL[] = [];
  if (f.status) where.push(eq(tickets.status, f.status));
  else where.push(notInArray(tickets.status, OVER));
  if (f.assignee) where.push(eq(tickets.assignee, f.assignee));
  if (f.unassigned) where.push(isNull(tickets.assignee));
  if (f.priority) where.push(eq(tickets.priority, f.priority));
  if (f.policyId) where.push(eq(tickets.policyId, f.policyId));
  if (f.customerId) where.push(eq(tickets.customerId, f.customerId));
  if (f.slaState) where.push(eq(tickets.slaState, f.slaState));
  const rows = await db
    .select({ t: tickets, next })
    .from(tickets)
    .where(and(...where))
    .orderBy(...(f.sort === 'deadline' ? [] : [sql`${rank} desc nulls last`]), sql`${next} asc nulls last`, tickets.openedAt, tickets.id)
    .limit(f.limit);
  const calendars = new Map<string, { id: string; cal: CalendarInput } | null>();
  const calendarOf = async (policyId: string) => {
    if (!calendars.has(policyId)) calendars.set(policyId, await resolve(deps, policyId));
    return calendars.get(policyId) ?? null;
  };
  const items: QueueRow[] = [];
  for (const { t } of rows) {
    const owed = Object.entries(t.deadlines)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]))[0];
    const cal = await calendarOf(t.policyId);
    const due = owed ? Date.parse(owed[1]) : undefined;
    const left =
      due === undefined || !cal ? null : due >= now ? businessTimeBetween(cal.cal, now, due) : -businessTimeBetween(cal.cal, due, now);
    items.push({
      id: t.id,
      subject: t.subject,
      customerId: t.customerId,
      policyId: t.policyId,
      priority: t.priority,
      status: t.status,
      slaState: t.slaState,
      assignee: t.assignee,
      openedAt: t.openedAt.toISOString(),
      next: owed ? { clock: owed[0], dueAt: owed[1] } : null,
      businessMsLeft: left,
      calendarOpen: cal ? isOpen(cal.cal, now) : true,
      calendarId: cal?.id ?? null,
    });
  }
  return { items, asOf: new Date(now).toISOString() };
}

async function resolve(deps: { policies: PolicyStore; calendars: CalendarStore }, policyId: string) {
  const policy = await deps.policies.get(policyId);
  if (!policy) return null;
  if (getCalendarPreset(policy.calendarId)) return { id: policy.calendarId, cal: calendarForPolicy(policy) };
  const spec = await deps.calendars.get(policy.calendarId);
  return spec ? { id: policy.calendarId, cal: compileCalendar(spec) } : null;
}
