import type { EmailMessage } from '../../activities/mail-activities';
import { TICKET_TASK_QUEUE } from '../ticket/contract';

/** Admin notifications run on the one worker every other workflow runs on. */
export const NOTIFICATION_TASK_QUEUE = TICKET_TASK_QUEUE;

/** One workflow per reported event: `:` cannot occur in a customer id, so no two (customer, event) pairs share one. */
export function adminEventWorkflowId(customerId: string, eventId: string): string {
  return `admin-event:${customerId}:${eventId}`;
}

/** The mails of one event, rendered by the API when it recorded the event; one per administrator contact. */
export interface AdminEventInput {
  customerId: string;
  eventId: string;
  mails: EmailMessage[];
}
