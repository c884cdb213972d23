import type { Opened } from '../../../bench/harness/http';
import { dedupeKey, isAckEmail, isBreachEmail, ticketIdOf } from '../../../bench/harness/mail-probes';
import { ticketWorkflowId } from '../../../workflows/ticket/contract';
import type { ChaosStack } from './chaos-stack';
import type { TicketLoad } from './load';

/** Per ticket with no assignee: the acknowledgment to the requester and one breach email to the team lead. */
const EMAILS_PER_TICKET = 2;

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

function tallyMail(stack: ChaosStack, ids: Set<string>) {
  const perKey = new Map<string, number>();
  const perTicket = new Map<string, { ack: number; breach: number }>();
  for (const m of stack.mail.messages) {
    const id = ticketIdOf(m);
    if (!id || !ids.has(id)) continue;
    perKey.set(dedupeKey(m), (perKey.get(dedupeKey(m)) ?? 0) + 1);
    const t = perTicket.get(id) ?? { ack: 0, breach: 0 };
    if (isAckEmail(m)) t.ack += 1;
    if (isBreachEmail(m)) t.breach += 1;
    perTicket.set(id, t);
  }
  return { perKey, perTicket };
}

async function breachRows(stack: ChaosStack, ids: string[]) {
  const rows = await stack.db.sql<Array<{ ticket_id: string; n: number }>>`
    select ticket_id, count(*)::int as n from ticket_events where kind = 'breach' and ticket_id = any(${ids}) group by ticket_id`;
  return new Map(rows.map((r) => [r.ticket_id, r.n]));
}

/**
 * Waits until every accepted ticket has its acknowledgment, its breach row and its breach email (or the
 * settle time runs out), then counts: tickets lost by Temporal or PostgreSQL, emails missing or doubled,
 * breaches missing or doubled, and workflows started for requests the client was told had failed.
 */
export async function settleAndVerify(stack: ChaosStack, load: TicketLoad, customerId: string, settleMs: number) {
  const accepted: Opened[] = load.accepted;
  const ids = accepted.map((t) => t.id);
  const idSet = new Set(ids);
  const settleStarted = Date.now();
  for (;;) {
    const { perTicket } = tallyMail(stack, idSet);
    const rows = await breachRows(stack, ids).catch(() => new Map<string, number>());
    const pending = ids.filter((id) => !rows.get(id) || !perTicket.get(id)?.ack || !perTicket.get(id)?.breach).length;
    if (pending === 0 || Date.now() - settleStarted > settleMs) break;
    await sleep(2_000);
  }
  const settledInMs = Date.now() - settleStarted;

  const inTemporal = await inBatches(ids, 16, (id) =>
    stack.client.workflow
      .getHandle(ticketWorkflowId(id))
      .describe()
      .then(() => true)
      .catch(() => false),
  );
  const rowIds = new Set((await stack.db.sql<Array<{ id: string }>>`select id from tickets where id = any(${ids})`).map((r) => r.id));
  const rows = await breachRows(stack, ids);
  const { perKey, perTicket } = tallyMail(stack, idSet);
  const started: string[] = [];
  for await (const wf of stack.client.workflow.list({ query: `CustomerId = '${customerId}'` })) started.push(wf.workflowId);
  const acceptedWorkflows = new Set(ids.map(ticketWorkflowId));

  const delivered = [...perTicket.values()].reduce((a, t) => a + Math.min(1, t.ack) + Math.min(1, t.breach), 0);
  return {
    ticketsAccepted: ids.length,
    lostInTemporal: inTemporal.filter((ok) => !ok).length,
    lostInPostgres: ids.filter((id) => !rowIds.has(id)).length,
    startedWithoutA201: started.filter((w) => !acceptedWorkflows.has(w)).length,
    emails: {
      expected: ids.length * EMAILS_PER_TICKET,
      delivered,
      missing: ids.length * EMAILS_PER_TICKET - delivered,
      duplicated: [...perKey.values()].reduce((a, n) => a + Math.max(0, n - 1), 0),
    },
    breaches: {
      expected: ids.length,
      rows: [...rows.values()].reduce((a, n) => a + n, 0),
      ticketsWithoutRow: ids.filter((id) => !rows.get(id)).length,
      emails: [...perTicket.values()].reduce((a, t) => a + t.breach, 0),
      ticketsWithDuplicateBreachEmail: [...perTicket.values()].filter((t) => t.breach > 1).length,
    },
    settledInMs,
  };
}

export type FaultReport = Awaited<ReturnType<typeof settleAndVerify>>;
