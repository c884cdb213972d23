import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../src/db/client';
import { catalogVersions, charges, customers, invoices, ticketEvents, ticketTimeEntries } from '../src/db/schema';
import { billableMinutes, hourlyAmount, hourlyRateFor, presetCatalog, type Catalog } from '../src/domain/catalog/index';
import type { TicketPurchase } from '../workflows/ticket/contract';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * What a ticket's events charge, written in the transaction that records the event, so a charge
 * exists exactly when its event does and a retried activity inserts nothing (keys per ticket).
 */
export interface BillingEvent {
  ticketId: string;
  kind: string;
  at: number;
  data?: Record<string, unknown>;
}

async function insertInvoice(
  tx: Tx,
  inv: { key: string; ticketId: string; customerId: string; currency: string; at: Date },
  lines: Array<Omit<typeof charges.$inferInsert, 'key' | 'invoiceKey' | 'ticketId' | 'customerId' | 'currency' | 'at'>>,
): Promise<boolean> {
  const total = lines.reduce((sum, l) => sum + l.amountMinor, 0);
  const created = await tx
    .insert(invoices)
    .values({
      key: inv.key,
      ticketId: inv.ticketId,
      customerId: inv.customerId,
      currency: inv.currency,
      totalMinor: total,
      instalments: [{ dueAt: inv.at.toISOString(), amountMinor: total }],
      issuedAt: inv.at,
    })
    .onConflictDoNothing()
    .returning({ key: invoices.key });
  if (created.length === 0) return false;
  await tx
    .insert(charges)
    .values(
      lines.map((l, i) => ({
        ...l,
        key: `${inv.key}#${i}`,
        invoiceKey: inv.key,
        ticketId: inv.ticketId,
        customerId: inv.customerId,
        currency: inv.currency,
        at: inv.at,
      })),
    )
    .onConflictDoNothing();
  return true;
}

/** 000: the $349 sale is recorded with the ticket it opened. */
async function recordPurchase(tx: Tx, e: BillingEvent, customerId: string, p: TicketPurchase): Promise<void> {
  await insertInvoice(tx, { key: p.chargeKey, ticketId: e.ticketId, customerId, currency: p.currency, at: new Date(e.at) }, [
    {
      kind: 'ticket-purchase',
      description: `${p.product}, ticket ${e.ticketId}`,
      amountMinor: p.amountMinor,
      paymentReference: p.paymentReference,
      catalogVersion: p.catalogVersion,
      quantity: 1,
    },
  ]);
}

/** The sale's terms as the ticket's opening recorded them, the catalog's refundOnDowngrade among them. */
async function saleTerms(tx: Tx, ticketId: string): Promise<TicketPurchase | undefined> {
  const [opened] = await tx
    .select({ data: ticketEvents.data })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.eventKey, 'opened')));
  return opened?.data.purchase as TicketPurchase | undefined;
}

/**
 * 000: "the emergency support costs may be refunded": a negative line that names the sale it gives back,
 * for exactly what was charged, and only where the catalog sold it refundable (a refund event of a ticket
 * whose workflow decided before the flag was read writes nothing otherwise).
 */
async function recordRefund(tx: Tx, e: BillingEvent, customerId: string): Promise<void> {
  const [sale] = await tx
    .select()
    .from(charges)
    .where(and(eq(charges.ticketId, e.ticketId), eq(charges.kind, 'ticket-purchase')));
  if (!sale || (await saleTerms(tx, e.ticketId))?.refundOnDowngrade !== true) return;
  await insertInvoice(
    tx,
    { key: `ticket:${e.ticketId}:refund`, ticketId: e.ticketId, customerId, currency: sale.currency, at: new Date(e.at) },
    [
      {
        kind: 'ticket-refund',
        description: `Refund of ${sale.description}: not an emergency`,
        amountMinor: -sale.amountMinor,
        paymentReference: sale.paymentReference,
        refersTo: sale.key,
        catalogVersion: sale.catalogVersion,
        quantity: 1,
      },
    ],
  );
}

async function currentCatalog(tx: Tx): Promise<{ version: number; catalog: Catalog }> {
  const [row] = await tx.select().from(catalogVersions).orderBy(desc(catalogVersions.version)).limit(1);
  return row ? { version: row.version, catalog: row.document as unknown as Catalog } : { version: 1, catalog: presetCatalog };
}

/**
 * 004: "must pay hourly … at then-current rates": a resolution invoices the time not billed yet at the
 * rate of the catalog current then; a reopened ticket resolved again bills only what came after.
 */
async function invoiceTime(tx: Tx, e: BillingEvent, customerId: string, policyId: string): Promise<void> {
  const [customer] = await tx.select({ vendorId: customers.vendorId }).from(customers).where(eq(customers.id, customerId));
  if (!customer) return;
  const { version, catalog } = await currentCatalog(tx);
  const rate = hourlyRateFor(catalog, customer.vendorId, policyId);
  if (!rate) return;
  const open = await tx
    .select()
    .from(ticketTimeEntries)
    .where(and(eq(ticketTimeEntries.ticketId, e.ticketId), isNull(ticketTimeEntries.billedInvoiceKey)))
    .orderBy(asc(ticketTimeEntries.id))
    .for('update');
  if (open.length === 0) return;
  const recorded = open.reduce((sum, t) => sum + t.minutes, 0);
  const minutes = billableMinutes(recorded, rate);
  const key = `ticket:${e.ticketId}:time:${e.at}`;
  const hours = (minutes / 60).toFixed(2);
  const created = await insertInvoice(tx, { key, ticketId: e.ticketId, customerId, currency: rate.currency, at: new Date(e.at) }, [
    {
      kind: 'support-hours',
      description: `Support for ticket ${e.ticketId}: ${hours} h billed (${recorded} min recorded, in ${rate.incrementMinutes}-minute blocks, at least ${rate.minimumMinutes} min)`,
      amountMinor: hourlyAmount(minutes, rate.rateMinor),
      quantity: minutes,
      catalogVersion: version,
    },
  ]);
  if (!created) return;
  for (const t of open) await tx.update(ticketTimeEntries).set({ billedInvoiceKey: key }).where(eq(ticketTimeEntries.id, t.id));
}

export async function billTicketEvent(tx: Tx, e: BillingEvent, ticket: { customerId: string; policyId: string }): Promise<void> {
  const purchase = e.data?.purchase as TicketPurchase | undefined;
  if (e.kind === 'opened' && purchase) await recordPurchase(tx, e, ticket.customerId, purchase);
  else if (e.kind === 'refund') await recordRefund(tx, e, ticket.customerId);
  else if (e.kind === 'resolve') await invoiceTime(tx, e, ticket.customerId, ticket.policyId);
}
