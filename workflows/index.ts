export { ticketWorkflow } from './ticket/ticket-workflow';
