export { ticketWorkflow } from './ticket/ticket-workflow';
export { subscriptionWorkflow } from './subscription/subscription-workflow';
