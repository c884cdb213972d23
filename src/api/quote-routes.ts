import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { ChangeFeed } from '../db/change-feed';
import type { Db } from '../db/client';
import { presentQuote, quoteTicketId, renewedContract } from '../quotes/quote-service';
import { quoteStore } from '../quotes/quote-store';
import { openedTicketOf, openTicket, type OpenTicketRequest, type TicketOpener } from '../tickets/open-ticket';
import { notFound, Problem } from './problem';
import type { Api } from './route';
import { idParam, text } from './schemas';
import { openedTicketSchema } from './ticket-schemas';

const ALL = ['customer', 'reseller', 'staff', 'admin'] as const;

const quoteLine = z.strictObject({
  kind: z.string(),
  description: z.string(),
  amountMinor: z.number().int(),
  quantity: z.number().int().optional(),
});
export const quoteSchema = z
  .strictObject({
    id: z.string(),
    customerId: z.string(),
    resellerId: z.string().nullable(),
    status: z.enum(['open', 'accepted']),
    currency: z.string(),
    totalMinor: z.number().int(),
    lines: z.array(quoteLine),
    catalogVersion: z.number().int(),
    purchaseOrder: z.string().nullable(),
    ticketId: z.string().nullable(),
    createdAt: z.string(),
    validUntil: z.string(),
    acceptedAt: z.string().nullable(),
    policyId: z.string(),
    systemId: z.string().nullable(),
    acceptWith: z.string(),
  })
  .meta({ id: 'Quote' });
const acceptBody = z
  .strictObject({ purchaseOrder: text(100).describe('The approved purchase order number (002).') })
  .meta({ id: 'AcceptQuoteRequest' });
const acceptedSchema = z.strictObject({ quote: quoteSchema, ticket: openedTicketSchema }).meta({ id: 'AcceptedQuote' });

export function quoteRoutes(api: Api, deps: TicketOpener & { db: Db; changes?: ChangeFeed | undefined }): void {
  const store = quoteStore(deps.db, deps.changes);
  const owner = async ({ id }: { id: string }) => {
    const q = await store.get(id);
    return q ? { customerId: q.customerId, ...(q.resellerId ? { resellerId: q.resellerId } : {}) } : undefined;
  };

  api.route({
    method: 'get',
    path: '/v1/quotes/:id',
    tag: 'Billing',
    summary: 'Read a quote',
    description: 'What an expired 002 customer must buy before its ticket proceeds: each line, the total, and until when it stands.',
    roles: ALL,
    params: idParam,
    owner,
    responses: { 200: { description: 'The quote.', schema: quoteSchema } },
    async handler({ params: { id } }) {
      const q = await store.get(id);
      if (!q) throw notFound(`Quote ${id}`);
      return { status: 200, body: presentQuote(q) };
    },
  });

  api.route({
    method: 'post',
    path: '/v1/quotes/:id/accept',
    tag: 'Billing',
    summary: 'Accept a quote with a purchase order',
    description:
      '002: "The Software and Support Service will proceed once the Reseller and/or End User provides an approved purchase order." The invoice records the purchase order, the customer gains the renewed contract, and the ticket the quote held opens on it. Accepting again with the same purchase order answers the same ticket.',
    roles: ALL,
    params: idParam,
    body: acceptBody,
    owner,
    responses: {
      200: { description: 'Accepted; the ticket is open.', schema: acceptedSchema },
      409: { description: 'Expired, or accepted with another purchase order.' },
    },
    async handler({ params: { id }, body, annotate }) {
      const q = await store.get(id);
      if (!q) throw notFound(`Quote ${id}`);
      const customer = await deps.accounts.customer(q.customerId);
      if (!customer) throw notFound(`Customer ${q.customerId}`);
      const at = (deps.now ?? Date.now)();
      const ticketId = quoteTicketId(id);
      const accepted = await store.accept(id, body.purchaseOrder, at, renewedContract(q, customer, at), ticketId);
      if (accepted === 'missing') throw notFound(`Quote ${id}`);
      if (accepted === 'expired')
        throw new Problem(409, 'quote_not_open', `Quote ${id} expired on ${q.validUntil}; open the ticket again for a new one.`);
      if (accepted === 'other_purchase_order')
        throw new Problem(409, 'quote_not_open', `Quote ${id} was accepted with purchase order ${q.purchaseOrder}.`);
      annotate({ ticketId });
      const request = { ...(q.request.ticket as unknown as OpenTicketRequest), customerId: q.customerId, ticketId };
      let ticket;
      try {
        ticket = await openTicket(deps, request);
      } catch (err) {
        const earlier = err instanceof WorkflowExecutionAlreadyStartedError ? await openedTicketOf(deps.client, ticketId) : undefined;
        if (!earlier) throw err;
        ticket = earlier;
      }
      return { status: 200, body: { quote: presentQuote(accepted.quote), ticket } };
    },
  });
}
