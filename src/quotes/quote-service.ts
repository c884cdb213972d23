import { createHash } from 'node:crypto';
import { randomId } from '../infra/random-id';
import type { Customer } from '../domain/accounts/index';
import { draftQuote, type CatalogVersion } from '../domain/catalog/index';
import { addYears } from '../domain/subscription/zoned-time';
import type { Quote, QuoteStore } from './quote-store';

/** What a client sees of a quote, and where to accept it. */
export function presentQuote(q: Quote) {
  const { request, ...rest } = q;
  return {
    ...rest,
    policyId: request.policyId,
    systemId: request.ticket.systemId ?? null,
    acceptWith: `POST /v1/quotes/${q.id}/accept`,
  };
}

/**
 * 002's expired contract is not a dead end: the refusal carries the quote of what must be bought,
 * and the ticket request it would open once the purchase order is in. A retried refusal for the
 * same system reuses the open quote rather than piling up new ones.
 */
export async function quoteForRefusal(
  store: QuoteStore,
  catalog: CatalogVersion,
  customer: Customer,
  ticket: Record<string, unknown> & { systemId?: string },
  at: number,
): Promise<Quote | undefined> {
  const system = ticket.systemId ? customer.systems.find((s) => s.id === ticket.systemId) : customer.systems[0];
  const draft = draftQuote(catalog.catalog, customer.vendorId, system, lapsedContract(customer, system?.id, at)?.policyId);
  if (!draft) return undefined;
  const known = await store.openFor(customer.id, ticket.systemId ?? null, at);
  if (known) return known;
  return store.create({
    id: randomId('Q-'),
    customerId: customer.id,
    resellerId: customer.resellerId ?? null,
    currency: draft.currency,
    totalMinor: draft.totalMinor,
    lines: draft.lines,
    request: { ticket, policyId: draft.policyId, renewalPlanId: draft.renewalPlanId, validDays: draft.validDays },
    catalogVersion: catalog.version,
    createdAt: new Date(at).toISOString(),
  });
}

/** The contract that last covered the system (or the whole customer) and has ended by `at`. */
function lapsedContract(customer: Customer, systemId: string | undefined, at: number) {
  const ended = customer.contracts.filter(
    (c) =>
      c.validTo !== undefined &&
      Date.parse(c.validTo) <= at &&
      (!c.systemIds || (systemId !== undefined && c.systemIds.includes(systemId))),
  );
  return ended.sort((a, b) => Date.parse(b.validTo ?? '') - Date.parse(a.validTo ?? ''))[0];
}

/** The ticket a quote's purchase order lets proceed: one per quote, however often it is accepted. */
export function quoteTicketId(quoteId: string): string {
  return `T-${createHash('sha256').update(`quote\n${quoteId}`).digest('hex').slice(0, 12).toUpperCase()}`;
}

/** The renewed contract: a year from acceptance in the customer's zone, for the quoted system. */
export function renewedContract(q: Quote, customer: Customer, at: number) {
  return {
    id: `quote-${q.id}`,
    policyId: q.request.policyId,
    validFrom: new Date(at).toISOString(),
    validTo: new Date(addYears(at, 1, customer.timeZone)).toISOString(),
    ...(q.request.ticket.systemId ? { systemIds: [q.request.ticket.systemId] } : {}),
  };
}
