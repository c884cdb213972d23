export { ticketWorkflow } from './ticket/ticket-workflow';
export { devTicketWorkflow } from './ticket/dev-ticket-workflow';
export { subscriptionWorkflow } from './subscription/subscription-workflow';
export { ticketRefusedWorkflow } from './ticket/ticket-refused-workflow';
export { policyChangeWorkflow } from './policy/policy-change-workflow';
export { adminEventWorkflow } from './notifications/admin-event-workflow';
