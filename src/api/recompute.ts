import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import type { CalendarSpec } from '../domain/calendar/index';
import type { SupportPolicy } from '../domain/ticket/index';
import { changePolicyUpdate, ticketWorkflowId } from '../../workflows/ticket/contract';
import { frozenCalendars } from '../tickets/ticket-calendars';

export const recomputeSchema = z
  .strictObject({
    tickets: z.number().int().describe('Open tickets affected.'),
    updated: z.number().int(),
    skipped: z.array(z.strictObject({ ticketId: z.string(), reason: z.string() })),
  })
  .meta({ id: 'Recompute' });
export type Recompute = z.output<typeof recomputeSchema>;

export interface PolicyChange {
  ticketId: string;
  policy: SupportPolicy;
  calendars: Record<string, CalendarSpec>;
}

const CONCURRENCY = 8;

/**
 * Sends each open ticket its new terms. The update id names the change, so re-running the same change
 * (a retried PUT) is deduplicated by Temporal; a ticket that finished meanwhile is skipped, and an
 * unreachable Temporal fails the whole request so the client retries it.
 */
export async function recomputeTickets(client: Client, changes: PolicyChange[], updateId: string): Promise<Recompute> {
  const result: Recompute = { tickets: changes.length, updated: 0, skipped: [] };
  const now = Date.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const change = changes[next++];
      if (!change) return;
      try {
        await client.workflow.getHandle(ticketWorkflowId(change.ticketId)).executeUpdate(changePolicyUpdate, {
          args: [{ policy: change.policy, calendars: frozenCalendars([change.policy], change.calendars, now) }],
          updateId,
        });
        result.updated++;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) result.skipped.push({ ticketId: change.ticketId, reason: 'finished' });
        else if (err instanceof WorkflowUpdateFailedError)
          result.skipped.push({ ticketId: change.ticketId, reason: err.cause?.message ?? err.message });
        else throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, changes.length) }, worker));
  result.skipped.sort((a, b) => a.ticketId.localeCompare(b.ticketId));
  return result;
}

export async function openTicketPins(db: Db): Promise<Array<{ id: string; policyId: string; policyVersion: number }>> {
  return db
    .select({ id: tickets.id, policyId: tickets.policyId, policyVersion: tickets.policyVersion })
    .from(tickets)
    .where(ne(tickets.status, 'closed'));
}
