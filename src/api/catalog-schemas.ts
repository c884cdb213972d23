import { z } from 'zod';
import { slugId, text } from './schemas';

/** The catalog's pieces as the API reads and writes them; the same schemas validate and document. */

const minor = z.number().int().nonnegative().max(1_000_000_000);
const bps = z.number().int().min(0).max(10_000);
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code');
const channel = z.enum(['phone', 'email']);

const thirdPartyLicenseSchema = z
  .strictObject({
    id: slugId,
    name: text(200),
    reactivationFeeMinor: minor.describe('Charged once per reinstatement, in the plan’s currency.'),
  })
  .meta({ id: 'ThirdPartyLicense' });

/** 004: licenses or services the plan includes; off at a lapse or cancellation, reactivated for a fee. */
const thirdPartyLicenses = z
  .array(thirdPartyLicenseSchema)
  .max(20)
  .superRefine((licenses, ctx) => {
    const seen = new Set<string>();
    licenses.forEach((l, i) => {
      if (seen.has(l.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `license "${l.id}" is listed twice` });
      seen.add(l.id);
    });
  });

export const planSchema = z
  .strictObject({
    id: slugId,
    name: text(200),
    family: slugId,
    tier: slugId,
    rank: z.number().int().min(0).max(100),
    calendarId: slugId,
    responseTargetMs: z
      .number()
      .int()
      .positive()
      .max(365 * 86_400_000),
    policyId: slugId.optional(),
    channels: z.array(channel).min(1).max(2),
    currency,
    pricing: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('flat'), annualPriceMinor: minor }),
      z.strictObject({ kind: z.literal('per-seat'), pricePerSeatPerYearMinor: minor, annualBillingDiscountBps: bps }),
    ]),
    billingCycles: z
      .array(z.enum(['monthly', 'annual']))
      .min(1)
      .max(2),
    incidentCapsPerYear: z.strictObject({
      phone: z.number().int().positive().max(10_000).optional(),
      email: z.number().int().positive().max(10_000).optional(),
    }),
    reinstatement: z.strictObject({ feeMinor: minor, surchargeBps: bps }),
    includedWithPurchasePlanId: slugId.optional(),
    subscriptionFeatures: z.array(slugId).max(50),
    configBackupRetentionDays: z.number().int().min(0).max(3_650),
    thirdPartyLicenses: thirdPartyLicenses
      .optional()
      .describe(
        '004: third-party licenses or services included with the plan, deactivated when the subscription lapses or is cancelled; each one’s reactivation fee is charged at reinstatement.',
      ),
  })
  .meta({ id: 'Plan' });

export const ticketProductSchema = z
  .strictObject({
    policyId: slugId,
    vendorId: slugId,
    name: text(200),
    priceMinor: minor,
    currency,
    refundOnDowngrade: z.boolean(),
    requiresActiveContract: z.boolean(),
  })
  .meta({ id: 'TicketProduct' });

export const hourlyRateSchema = z
  .strictObject({
    vendorId: slugId,
    billedPolicyIds: z.array(slugId).max(50),
    rateMinor: minor,
    currency,
    incrementMinutes: z.number().int().min(1).max(480),
    minimumMinutes: z.number().int().min(0).max(480),
  })
  .meta({ id: 'HourlyRate' });

export const quoteTermsSchema = z
  .strictObject({
    vendorId: slugId,
    currentRelease: text(40),
    upgradePriceMinor: minor,
    renewalPlanId: slugId,
    auditHours: z.number().int().min(0).max(100),
    currency,
    validDays: z.number().int().min(1).max(365),
  })
  .meta({ id: 'QuoteTerms' });

export const vendorSchema = z
  .strictObject({
    id: slugId,
    name: text(200),
    policyIds: z.array(slugId).max(50),
    paidPolicyIds: z.array(slugId).max(50),
    noContract: z.strictObject({ advice: text(2_000), openOnPolicyId: slugId.optional() }),
    systemAdvice: text(2_000).optional(),
    warranty: z.strictObject({ policyId: slugId, expiredAdvice: text(2_000) }).optional(),
  })
  .meta({ id: 'Vendor' });

const hardwareSchema = z.strictObject({
  id: slugId,
  name: text(200),
  extendable: z.boolean(),
  maxWarrantyYears: z.number().int().min(1).max(20),
  extensionPriceMinor: minor,
  currency,
});

const keyed = <T extends z.ZodType>(item: T) => z.record(slugId, item);

export const catalogDocumentSchema = z
  .strictObject({
    plans: keyed(planSchema),
    hardware: keyed(hardwareSchema),
    ticketProducts: keyed(ticketProductSchema),
    hourlyRates: keyed(hourlyRateSchema),
    quotes: keyed(quoteTermsSchema),
    vendors: keyed(vendorSchema),
    assumptions: z.array(text(2_000)).max(100),
  })
  .meta({ id: 'CatalogDocument' });

const versionMeta = {
  version: z.number().int().positive(),
  createdAt: z.string(),
  createdBy: z.string(),
  note: z.string(),
};

export const catalogVersionSchema = z.strictObject({ ...versionMeta, catalog: catalogDocumentSchema }).meta({ id: 'CatalogVersion' });

export const planListSchema = z
  .strictObject({ catalogVersion: z.number().int().positive(), items: z.array(planSchema) })
  .meta({ id: 'PlanList' });

export const planBody = planSchema
  .extend({ id: slugId.optional(), basedOnVersion: z.number().int().positive().optional() })
  .meta({ id: 'PutPlanRequest' });

/** Any section may be replaced; `basedOnVersion` refuses the edit when someone published in between. */
export const catalogPatchBody = z
  .strictObject({
    basedOnVersion: z.number().int().positive(),
    note: text(500).optional(),
    hardware: catalogDocumentSchema.shape.hardware.optional(),
    ticketProducts: catalogDocumentSchema.shape.ticketProducts.optional(),
    hourlyRates: catalogDocumentSchema.shape.hourlyRates.optional(),
    quotes: catalogDocumentSchema.shape.quotes.optional(),
    vendors: catalogDocumentSchema.shape.vendors.optional(),
    assumptions: catalogDocumentSchema.shape.assumptions.optional(),
  })
  .meta({ id: 'CatalogChangeRequest' });

export const versionQuery = z.strictObject({
  version: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'expected a version number')
    .transform(Number)
    .optional(),
});
