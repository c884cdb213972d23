import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ticketEvents } from '../db/schema';
import { messagesOf, type MessageView } from './message-store';

export interface DevelopmentView {
  ticketId: string;
  parentTicketId: string;
  status: 'open' | 'resolved' | 'cancelled';
  openedAt: string;
  dueAt: string | null;
  breached: boolean;
  report: string | null;
  escalation: { agent: string; note: string } | null;
  notes: Array<{ at: string; engineer: string; note: string }>;
  thread: MessageView[];
}

/**
 * The development ticket as development reads it (seed 001 step 3): the customer's report, the agent's
 * note, the whole thread (internal notes included) and its own progress, from the journal, so it stays
 * readable after either workflow ended.
 */
export async function developmentOf(db: Db, ticketId: string): Promise<DevelopmentView | undefined> {
  const devId = `${ticketId}-DEV`;
  const events = await db
    .select()
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, devId))
    .orderBy(asc(ticketEvents.at), asc(ticketEvents.id));
  const opened = events.find((e) => e.kind === 'dev_opened');
  if (!opened) return undefined;
  const d = opened.data as { dueAt?: number; report?: string; escalation?: { agent: string; note: string } };
  // A development ticket opened before the hand-over was recorded: the escalation event carries the note.
  const [escalate] = d.escalation
    ? []
    : await db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, 'escalate')))
        .orderBy(asc(ticketEvents.at))
        .limit(1);
  const arg = (escalate?.data.arg ?? {}) as { summary?: string };
  const escalation = d.escalation ?? (escalate && arg.summary ? { agent: String(escalate.data.actor ?? ''), note: arg.summary } : null);
  const status = events.some((e) => e.kind === 'dev_resolved')
    ? 'resolved'
    : events.some((e) => e.kind === 'dev_cancelled')
      ? 'cancelled'
      : 'open';
  return {
    ticketId: devId,
    parentTicketId: ticketId,
    status,
    openedAt: opened.at.toISOString(),
    dueAt: typeof d.dueAt === 'number' ? new Date(d.dueAt).toISOString() : null,
    breached: events.some((e) => e.kind === 'breach'),
    report: d.report ?? null,
    escalation,
    notes: events
      .filter((e) => e.kind === 'dev_progress' || e.kind === 'dev_resolved')
      .map((e) => ({ at: e.at.toISOString(), engineer: String(e.data.engineer ?? ''), note: String(e.data.note ?? '') })),
    thread: await messagesOf(db, ticketId, { publicOnly: false }),
  };
}
