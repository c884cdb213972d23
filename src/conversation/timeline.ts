import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { emailOutbox, ticketEvents, tickets } from '../db/schema';
import { ticketMailKey } from './message-id';
import { Visibility } from './message-types';

export enum ActorKind {
  Customer = 'customer',
  /** The customer's reseller on its end user's ticket (002). */
  Reseller = 'reseller',
  Staff = 'staff',
  Development = 'development',
  System = 'system',
  Operator = 'operator',
}

export interface TimelineClock {
  clock: string;
  change: string;
  from: string | null;
  to: string | null;
  remainingMs?: number;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  key: string;
  actor: { kind: ActorKind; name: string | null };
  summary: string;
  visibility: Visibility;
  status?: { from: string; to: string };
  clocks?: TimelineClock[];
  mail?: { to: string; key: string; subject: string; status: string; messageId: string; sentAt: string | null };
  data?: Record<string, unknown>;
}

type EventRow = typeof ticketEvents.$inferSelect;
const iso = (ms: unknown) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const DEV_SUFFIX = '-DEV';

/** Staff matters: what a customer or reseller key's timeline leaves out (an internal note, a warning to the assignee). */
const INTERNAL_KINDS = new Set(['note', 'warning', 'assign']);

function actorOf(e: EventRow): TimelineEntry['actor'] {
  const d = e.data;
  if (e.ticketId.endsWith(DEV_SUFFIX) || e.kind === 'dev_update' || e.kind === 'dev_resolved')
    return { kind: ActorKind.Development, name: str(d.engineer) ?? null };
  if (e.kind === 'opened') return { kind: ActorKind.Customer, name: null };
  if (e.kind === 'cancelled' || e.kind === 'restarted') return { kind: ActorKind.Operator, name: str(d.by) ?? null };
  const actor = str(d.actor);
  if (actor === 'customer') {
    const author = (d.arg as { author?: { kind?: unknown; email?: unknown; resellerId?: unknown } } | undefined)?.author;
    if (author?.kind === 'reseller') return { kind: ActorKind.Reseller, name: str(author.email) ?? str(author.resellerId) ?? null };
    return { kind: ActorKind.Customer, name: null };
  }
  if (actor) return { kind: ActorKind.Staff, name: actor };
  return { kind: ActorKind.System, name: null };
}

const label = (k: string) => k.replaceAll('_', ' ');

function summaryOf(e: EventRow): string {
  const d = e.data;
  const arg = (d.arg ?? {}) as Record<string, unknown>;
  switch (e.kind) {
    case 'opened': {
      const covered = d.coveredBy as { kind: string; id?: string } | undefined;
      const by = covered ? `, covered by ${covered.kind}${covered.id ? ` ${covered.id}` : ''}` : '';
      return `opened on ${str(d.policyId)}@${String(d.policyVersion)}, priority ${str(d.priority)}${by}`;
    }
    case 'warning':
      return `${label(str(d.clock) ?? '')} ${Math.round(Number(d.fraction ?? 0) * 100)}% warning, due ${iso(d.dueAt)}`;
    case 'breach':
      return `${label(str(d.clock) ?? '')} breached at ${e.at.toISOString()}`;
    case 'assign':
      return `assigned to ${str(arg.assignee) ?? str((d.action as Record<string, unknown> | undefined)?.assignee) ?? 'someone'}`;
    case 'change_priority':
      return `priority changed to ${str(arg.priority) ?? str((d.action as Record<string, unknown> | undefined)?.priority)}`;
    case 'policy_changed':
      return `policy changed to ${str(d.policyId)}@${String(d.version)}`;
    case 'contract_changed':
      return `contract changed: now ${str(d.policyId)}@${String(d.version)}`;
    case 'dev_opened':
      return `development ticket opened, second-level resolution due ${iso(d.dueAt) ?? 'never'}`;
    case 'dev_progress':
    case 'dev_update':
      return `development update: ${str(d.note) ?? ''}`;
    case 'dev_resolved':
      return `development resolved: ${str(d.note) ?? ''}`;
    case 'note':
      return 'internal note';
    default:
      return label(e.kind);
  }
}

function clocksOf(e: EventRow): TimelineClock[] | undefined {
  const raw = e.data.clocks;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return (raw as Array<Record<string, unknown>>).map((c) => ({
    clock: String(c.clock),
    change: String(c.change),
    from: iso(c.fromDueAt),
    to: iso(c.toDueAt),
    ...(typeof c.remainingMs === 'number' ? { remainingMs: c.remainingMs } : {}),
  }));
}

/**
 * Every event of a ticket in order, with who did it and what it did to the clocks (old and new due
 * instants), the development ticket's events and every mail sent: why a deadline is what it is, from the
 * journal the workflow writes rather than from its Temporal history. `publicOnly` for customer keys.
 */
export async function timelineOf(db: Db, ticketId: string, opts: { publicOnly: boolean }): Promise<TimelineEntry[]> {
  const [ticket] = await db.select({ requesterEmail: tickets.requesterEmail }).from(tickets).where(eq(tickets.id, ticketId));
  const events = await db
    .select()
    .from(ticketEvents)
    .where(inArray(ticketEvents.ticketId, [ticketId, `${ticketId}${DEV_SUFFIX}`]))
    .orderBy(asc(ticketEvents.at), asc(ticketEvents.id));
  const prefixes = [ticketMailKey(ticketId, ''), ticketMailKey(`${ticketId}${DEV_SUFFIX}`, '')];
  const mails = await db
    .select()
    .from(emailOutbox)
    .where(sql`starts_with(${emailOutbox.dedupeKey}, ${prefixes[0]}) or starts_with(${emailOutbox.dedupeKey}, ${prefixes[1]})`)
    .orderBy(asc(emailOutbox.createdAt));

  const entries: Array<TimelineEntry & { ms: number; order: number }> = [];
  let status: string | undefined;
  events.forEach((e, i) => {
    const next = str(e.data.status) ?? (e.kind === 'opened' ? 'new' : undefined);
    const changed = status !== undefined && next !== undefined && next !== status ? { status: { from: status, to: next } } : {};
    if (next !== undefined && !e.ticketId.endsWith(DEV_SUFFIX)) status = next;
    const clocks = clocksOf(e);
    const internal = INTERNAL_KINDS.has(e.kind) || e.ticketId.endsWith(DEV_SUFFIX);
    entries.push({
      ms: e.at.getTime(),
      order: i,
      at: e.at.toISOString(),
      kind: e.kind,
      key: e.ticketId.endsWith(DEV_SUFFIX) ? `development:${e.eventKey}` : e.eventKey,
      actor: actorOf(e),
      summary: summaryOf(e),
      visibility: internal ? Visibility.Internal : Visibility.Public,
      ...changed,
      ...(clocks ? { clocks } : {}),
      data: e.data,
    });
  });
  const requester = ticket?.requesterEmail.toLowerCase();
  mails.forEach((m, i) => {
    entries.push({
      ms: m.createdAt.getTime(),
      order: events.length + i,
      at: m.createdAt.toISOString(),
      kind: 'mail',
      key: m.dedupeKey,
      actor: { kind: ActorKind.System, name: null },
      summary: `mail to ${m.toAddress}: ${m.subject}`,
      visibility: m.toAddress.toLowerCase() === requester ? Visibility.Public : Visibility.Internal,
      mail: {
        to: m.toAddress,
        key: m.dedupeKey,
        subject: m.subject,
        status: m.status,
        messageId: m.messageId,
        sentAt: m.sentAt ? m.sentAt.toISOString() : null,
      },
    });
  });
  entries.sort((a, b) => a.ms - b.ms || a.order - b.order);
  const visible = opts.publicOnly ? entries.filter((e) => e.visibility === Visibility.Public) : entries;
  // A customer sees what happened, not the data behind it (an escalation's data holds the agent's internal note).
  return visible.map(({ ms: _m, order: _o, data, ...e }) => (opts.publicOnly || !data ? e : { ...e, data }));
}
