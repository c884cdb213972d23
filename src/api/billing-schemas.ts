import { z } from 'zod';
import { SubscriptionStatus } from '../domain/subscription';
import { accountListQuery } from './account-schemas';
import { resourceId, text } from './schemas';
import { subscriptionSchema } from './subscriptions-routes';

const cursor = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z0-9_-]+$/, 'expected a cursor from a previous page')
  .describe('nextCursor of the previous page.');

export const listSubscriptionsQuery = z.strictObject({
  customerId: resourceId.optional(),
  resellerId: resourceId.optional().describe('Subscriptions of the end customers who bought through this reseller.'),
  status: z.enum(Object.values(SubscriptionStatus) as [SubscriptionStatus, ...SubscriptionStatus[]]).optional(),
  planId: text(100).optional(),
  limit: accountListQuery.shape.limit,
  cursor: cursor.optional(),
});

export const pageQuery = z.strictObject({ limit: accountListQuery.shape.limit, cursor: cursor.optional() });

export const subscriptionPageSchema = z
  .strictObject({ items: z.array(subscriptionSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SubscriptionPage' });

const isoString = z.string().meta({ format: 'date-time' });

export const chargeSchema = z
  .strictObject({
    key: z.string(),
    invoiceKey: z.string().nullable(),
    kind: z.string().describe('subscription, seat-proration, reinstatement-fee, emergency-ticket, hourly-work, refund, …'),
    description: z.string().describe('What the line is for, in the words of the invoice.'),
    amountMinor: z.number().int().describe('Integer minor units (cents); negative for a refund.'),
    currency: z.string(),
    amount: z.string().describe('The amount as printed, e.g. $540.00.'),
    period: z.strictObject({ start: isoString, end: isoString }).nullable().describe('The service period charged; null for a one-off.'),
    quantity: z.number().int().nullable(),
    subscriptionId: z.string().nullable(),
    ticketId: z.string().nullable(),
    paymentReference: z.string().nullable(),
    refersTo: z.string().nullable().describe('For a refund: the key of the charge it gives back.'),
    catalogVersion: z.number().int().nullable(),
    at: isoString,
  })
  .meta({ id: 'Charge' });

export const chargePageSchema = z
  .strictObject({ items: z.array(chargeSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ChargePage' });

export const invoiceListSchema = z
  .strictObject({
    items: z.array(
      z
        .strictObject({
          key: z.string(),
          subscriptionId: z.string().nullable(),
          ticketId: z.string().nullable(),
          customerId: z.string(),
          currency: z.string(),
          totalMinor: z.number().int(),
          total: z.string(),
          issuedAt: isoString,
          purchaseOrder: z.string().nullable(),
          instalments: z.array(z.strictObject({ dueAt: isoString, amountMinor: z.number().int() })),
          lines: z.array(chargeSchema),
        })
        .meta({ id: 'Invoice' }),
    ),
  })
  .meta({ id: 'InvoiceList' });

const grantFields = {
  enabled: z.boolean(),
  since: isoString.nullable().describe('When it came on, or went off; null for one not on yet.'),
  grantedBy: z.array(z.strictObject({ subscriptionId: z.string(), planId: z.string(), since: isoString, until: isoString })),
  lastGrantedBy: z.string().nullable(),
};

export const featureSetSchema = z
  .strictObject({
    customerId: z.string(),
    features: z.array(
      z.strictObject({
        feature: z.string().describe('softphone-app, remote-portal, off-site-phones, integrations, add-extensions, software-updates, …'),
        ...grantFields,
      }),
    ),
    thirdPartyLicenses: z
      .array(z.strictObject({ license: z.string(), name: z.string(), ...grantFields }))
      .describe('004: third-party licenses the plans include; deactivated with a lapsed or cancelled subscription.'),
    nextChangeAt: isoString.nullable().describe('When the next feature goes off unless renewed: poll again then.'),
    asOf: isoString,
  })
  .meta({ id: 'CustomerFeatures' });
