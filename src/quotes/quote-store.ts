import { and, desc, eq, sql } from 'drizzle-orm';
import type { ChangeFeed } from '../db/change-feed';
import type { Db } from '../db/client';
import { charges, customers, invoices, quotes } from '../db/schema';
import type { Contract } from '../domain/accounts/index';
import type { QuoteLine } from '../domain/catalog/index';

export const QuoteStatus = { Open: 'open', Accepted: 'accepted' } as const;
export type QuoteStatus = (typeof QuoteStatus)[keyof typeof QuoteStatus];

/** What the quote was asked for: the ticket that waits on it and what the purchase buys. */
export interface QuoteRequest {
  ticket: Record<string, unknown> & { systemId?: string };
  policyId: string;
  renewalPlanId: string;
  validDays: number;
}

export interface Quote {
  id: string;
  customerId: string;
  resellerId: string | null;
  status: QuoteStatus;
  currency: string;
  totalMinor: number;
  lines: QuoteLine[];
  request: QuoteRequest;
  catalogVersion: number;
  purchaseOrder: string | null;
  ticketId: string | null;
  createdAt: string;
  validUntil: string;
  acceptedAt: string | null;
}

type Row = typeof quotes.$inferSelect;

const toQuote = (r: Row): Quote => ({
  id: r.id,
  customerId: r.customerId,
  resellerId: r.resellerId,
  status: r.status as QuoteStatus,
  currency: r.currency,
  totalMinor: r.totalMinor,
  lines: r.lines as unknown as QuoteLine[],
  request: r.request as unknown as QuoteRequest,
  catalogVersion: r.catalogVersion,
  purchaseOrder: r.purchaseOrder,
  ticketId: r.ticketId,
  createdAt: r.createdAt.toISOString(),
  validUntil: new Date(r.createdAt.getTime() + (r.request as unknown as QuoteRequest).validDays * 86_400_000).toISOString(),
  acceptedAt: r.acceptedAt?.toISOString() ?? null,
});

export type AcceptResult = { quote: Quote; fresh: boolean } | 'expired' | 'other_purchase_order' | 'missing';

/** `changes` hears of the contract an acceptance adds, so this process's cached customer is dropped at once. */
export function quoteStore(db: Db, changes?: Pick<ChangeFeed, 'changed'>) {
  return {
    async get(id: string): Promise<Quote | undefined> {
      const [row] = await db.select().from(quotes).where(eq(quotes.id, id));
      return row ? toQuote(row) : undefined;
    },

    /** The customer's latest open quote for the same system, so a retried refusal quotes once. */
    async openFor(customerId: string, systemId: string | null, at: number): Promise<Quote | undefined> {
      const rows = await db
        .select()
        .from(quotes)
        .where(and(eq(quotes.customerId, customerId), eq(quotes.status, QuoteStatus.Open)))
        .orderBy(desc(quotes.createdAt))
        .limit(20);
      return rows.map(toQuote).find((q) => (q.request.ticket.systemId ?? null) === systemId && Date.parse(q.validUntil) > at);
    },

    async create(q: Omit<Quote, 'status' | 'purchaseOrder' | 'ticketId' | 'acceptedAt' | 'validUntil'>): Promise<Quote> {
      const [row] = await db
        .insert(quotes)
        .values({
          id: q.id,
          customerId: q.customerId,
          resellerId: q.resellerId,
          status: QuoteStatus.Open,
          currency: q.currency,
          totalMinor: q.totalMinor,
          lines: q.lines as unknown as Array<Record<string, unknown>>,
          request: q.request as unknown as Record<string, unknown>,
          catalogVersion: q.catalogVersion,
          createdAt: new Date(q.createdAt),
        })
        .onConflictDoNothing()
        .returning();
      return row ? toQuote(row) : ((await this.get(q.id)) as Quote);
    },

    /**
     * 002: "The Software and Support Service will proceed once the Reseller and/or End User provides
     * an approved purchase order": in one transaction the invoice carries the purchase order, the
     * customer gains the renewed contract, and the quote names the ticket that will proceed.
     */
    async accept(id: string, purchaseOrder: string, at: number, contract: Contract, ticketId: string): Promise<AcceptResult> {
      const result = await db.transaction(async (tx): Promise<AcceptResult> => {
        const [row] = await tx.select().from(quotes).where(eq(quotes.id, id)).for('update');
        if (!row) return 'missing';
        const q = toQuote(row);
        if (q.status === QuoteStatus.Accepted)
          return q.purchaseOrder === purchaseOrder ? { quote: q, fresh: false } : 'other_purchase_order';
        if (Date.parse(q.validUntil) <= at) return 'expired';
        const key = `quote:${id}`;
        const when = new Date(at);
        await tx.insert(invoices).values({
          key,
          customerId: q.customerId,
          currency: q.currency,
          totalMinor: q.totalMinor,
          instalments: [{ dueAt: when.toISOString(), amountMinor: q.totalMinor }],
          purchaseOrder,
          issuedAt: when,
        });
        await tx.insert(charges).values(
          q.lines.map((l, i) => ({
            key: `${key}#${i}`,
            invoiceKey: key,
            customerId: q.customerId,
            kind: l.kind,
            amountMinor: l.amountMinor,
            currency: q.currency,
            description: `${l.description} (PO ${purchaseOrder})`,
            quantity: l.quantity ?? null,
            catalogVersion: q.catalogVersion,
            ...(l.kind === 'support-renewal' && contract.validTo ? { periodStart: when, periodEnd: new Date(contract.validTo) } : {}),
            at: when,
          })),
        );
        await tx
          .update(customers)
          .set({ contracts: sql`${customers.contracts} || ${JSON.stringify([contract])}::jsonb`, updatedAt: when })
          .where(eq(customers.id, q.customerId));
        const [updated] = await tx
          .update(quotes)
          .set({ status: QuoteStatus.Accepted, purchaseOrder, acceptedAt: when, ticketId })
          .where(eq(quotes.id, id))
          .returning();
        return { quote: toQuote(updated ?? row), fresh: true };
      });
      if (typeof result === 'object' && result.fresh) changes?.changed('customers', result.quote.customerId);
      return result;
    },
  };
}

export type QuoteStore = ReturnType<typeof quoteStore>;
