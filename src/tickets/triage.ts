import type { Role } from '../auth/principal';
import type { Priority } from '../domain/ticket/index';

/** The field a requester's own view of the urgency is kept in, for the agent who triages the ticket. */
export const REQUESTED_PRIORITY_FIELD = 'requestedPriority';

/**
 * Who decides a new ticket's priority. The priority picks the clocks the vendor promises, and the
 * vendor classifies each request (001: "We classify and prioritize each request according to the
 * following definitions"); a customer or reseller who could pick "urgent" would buy itself the
 * shortest targets. So their priority is kept as the requester's view in the ticket's fields, and the
 * policy's default, raised by its phrases ("Emergency – System Down", "system outage"), decides until
 * staff reclassify with the priority action. Staff and admin keys open on behalf of a caller and set it.
 */
export function triagedPriority(
  role: Role,
  priority: Priority | undefined,
  fields: Record<string, string>,
): { priority?: Priority; fields: Record<string, string> } {
  if (priority === undefined) return { fields };
  if (role === 'staff' || role === 'admin') return { priority, fields };
  return { fields: { ...fields, [REQUESTED_PRIORITY_FIELD]: priority } };
}
