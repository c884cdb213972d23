import { acts } from '../activity-options';
import type { RefusedTicketInput } from './contract';

/**
 * A ticket refused at opening (no entitlement at that instant) still leaves a trace and tells the
 * customer why, through the same idempotent record and outbox as every other ticket.
 */
export async function ticketRefusedWorkflow(input: RefusedTicketInput): Promise<void> {
  await acts.recordTicketEvent({
    ticketId: input.ticketId,
    eventKey: 'refused',
    kind: 'refused',
    at: input.at,
    data: { customerId: input.customerId, code: input.code, reason: input.reason },
  });
  await acts.sendEmail({
    dedupeKey: `ticket:${input.ticketId}:refused`,
    to: input.requesterEmail,
    subject: `[${input.ticketId}] We could not open your request: ${input.subject}`,
    text: `${input.reason}\n\n${input.offer}\n`,
  });
}
