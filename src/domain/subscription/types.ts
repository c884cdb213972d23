/**
 * Subscription model shared by the subscription workflow, the API and the ticket workflow.
 * Everything here is plain JSON so it can travel through Temporal payloads and jsonb columns:
 * instants are epoch milliseconds (UTC), money is integer minor units, enums are string values.
 * Calendar arithmetic (years, months, days) happens in the IANA zone carried by the state, because
 * "one year from purchase" means the same local date next year, not 365 * 24 hours.
 */

export const SubscriptionStatus = {
  Active: 'active',
  /** Inside the window opened by the last (smallest-offset) renewal reminder. */
  Expiring: 'expiring',
  Lapsed: 'lapsed',
  Purged: 'purged',
  /** Expired after the customer asked not to continue; otherwise behaves like lapsed. */
  Cancelled: 'cancelled',
} as const;
export type SubscriptionStatus = (typeof SubscriptionStatus)[keyof typeof SubscriptionStatus];

export const Channel = { Phone: 'phone', Email: 'email' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

export const BillingCycle = { Monthly: 'monthly', Annual: 'annual' } as const;
export type BillingCycle = (typeof BillingCycle)[keyof typeof BillingCycle];

export const TermKind = { Initial: 'initial', Renewal: 'renewal', Reinstatement: 'reinstatement' } as const;
export type TermKind = (typeof TermKind)[keyof typeof TermKind];

export type PlanPricing =
  | { kind: 'flat'; annualPriceMinor: number }
  | {
      kind: 'per-seat';
      pricePerSeatPerYearMinor: number;
      /** Discount for paying the annual commitment up front, in basis points (1000 = 10 %). */
      annualBillingDiscountBps: number;
    };

export interface ReinstatementTerms {
  /** Flat fee charged once per reinstatement (004's "Support Reinstatement Fee"). */
  feeMinor: number;
  /** Surcharge on the backfilled renewals, in basis points (002's "surcharge to renew"). */
  surchargeBps: number;
}

/**
 * 004: "Certain Support Subscriptions may include third-party licenses or services that will be
 * deactivated and canceled if the Support Subscription is deactivated or canceled." Priced in the
 * plan's currency, versioned with the plan like every other figure.
 */
export interface ThirdPartyLicense {
  id: string;
  name: string;
  /** 004: "Third-party licenses or services may require a Reinstatement Fee … to reactivate". */
  reactivationFeeMinor: number;
}

export interface PlanDefinition {
  id: string;
  name: string;
  /** Upgrades and renewal tier changes only move within one family. */
  family: string;
  tier: string;
  /** Higher rank = more service; moving to a lower rank is a downgrade. */
  rank: number;
  calendarId: string;
  responseTargetMs: number;
  /** The ticket policy a covered ticket runs on (issue 13: the contract decides the promise). */
  policyId?: string;
  channels: Channel[];
  currency: string;
  pricing: PlanPricing;
  billingCycles: BillingCycle[];
  /** Per subscription year; a channel without an entry is unlimited. */
  incidentCapsPerYear: Partial<Record<Channel, number>>;
  reinstatement: ReinstatementTerms;
  /**
   * The plan whose first year comes free with a system purchase (002: Standard). A purchase of a
   * higher tier with `includedWithPurchase` pays only the difference for the first year.
   */
  includedWithPurchasePlanId?: string;
  /** Switched off when the subscription lapses and back on at reinstatement. */
  subscriptionFeatures: string[];
  /** How long configuration backups survive a lapse before they are purged. */
  configBackupRetentionDays: number;
  /** Off with the subscription at a lapse or cancellation; each reactivation is charged at reinstatement. */
  thirdPartyLicenses?: ThirdPartyLicense[];
}

export type PlanCatalog = Readonly<Record<string, PlanDefinition>>;

/** What a subscription keeps of the catalog it was sold on: the version and its family's plans. */
export interface PinnedCatalog {
  version: number;
  plans: PlanCatalog;
}

export interface HardwareProduct {
  id: string;
  name: string;
  /** 002: telephone sets and SIP clients cannot get an extended warranty. */
  extendable: boolean;
  /** Maximum total warranty period including the initial year ("variable by product"). */
  maxWarrantyYears: number;
  extensionPriceMinor: number;
  currency: string;
}

export type HardwareCatalog = Readonly<Record<string, HardwareProduct>>;

export interface TierChange {
  effectiveFrom: number;
  planId: string;
  tier: string;
}

/**
 * A paid period. `start`/`end` are what was billed; `coveredFrom` is when support actually began.
 * They differ only for reinstatements: the backfilled stretch between lapse and reinstatement is
 * paid for but was not covered while it happened, so tickets opened in that gap stay unentitled.
 */
export interface TermRecord {
  kind: TermKind;
  start: number;
  end: number;
  coveredFrom: number;
  /** Number of subscription years billed by this record (more than one for a late reinstatement). */
  yearsBilled: number;
  recordedAt: number;
}

export interface IncidentCounter {
  /** Start of the subscription year (an anniversary of originalStart). */
  yearStart: number;
  channel: Channel;
  count: number;
}

export interface WarrantyExtension {
  purchasedAt: number;
  previousEnd: number;
  newEnd: number;
}

export interface HardwareWarranty {
  productId: string;
  /**
   * The customer's installed system the warranty covers (002: the registry confirms "the equipment has
   * an active Hardware Warranty"), so its warranty tickets are covered. Absent on sales that named none.
   */
  systemId?: string;
  start: number;
  end: number;
  maxWarrantyYears: number;
  extensions: WarrantyExtension[];
}

export interface SubscriptionState {
  schemaVersion: 1;
  id: string;
  customerId: string;
  planId: string;
  tier: string;
  timeZone: string;
  currency: string;
  status: SubscriptionStatus;
  /** Anchor of every term boundary and subscription year: boundaries are its anniversaries. */
  originalStart: number;
  /** Start of the latest paid term (may lie in the future after an early renewal). */
  termStart: number;
  /** Paid-through instant; support for tickets opened at or after it is not covered. */
  termEnd: number;
  seats: number;
  billingCycle: BillingCycle;
  autoRenew: boolean;
  cancelAtTermEnd: boolean;
  reminderOffsetsDays: number[];
  /** Reminder keys (`termEnd:offset`) already sent or deliberately skipped. */
  reminderKeysDone: string[];
  lapsedAt: number | null;
  purgeAt: number | null;
  purgedAt: number | null;
  incidents: IncidentCounter[];
  warranty: HardwareWarranty | null;
  tierHistory: TierChange[];
  termHistory: TermRecord[];
  processedOperationIds: string[];
  /**
   * The catalog version the running term was sold on (issue 14): mid-term prices (seats, upgrades)
   * come from it, and a renewal re-pins to the version current then. Absent on subscriptions sold
   * before catalogs were versioned, which keep the built-in plans.
   */
  pinned?: PinnedCatalog;
}

export const InvoiceLineKind = {
  Subscription: 'subscription',
  IncludedWithPurchase: 'included-with-purchase',
  ReinstatementFee: 'reinstatement-fee',
  ReinstatementSurcharge: 'reinstatement-surcharge',
  LicenseReactivationFee: 'license-reactivation-fee',
  UpgradeProration: 'upgrade-proration',
  SeatProration: 'seat-proration',
  WarrantyExtension: 'warranty-extension',
} as const;
export type InvoiceLineKind = (typeof InvoiceLineKind)[keyof typeof InvoiceLineKind];

export interface Instalment {
  dueAt: number;
  amountMinor: number;
}

export interface InvoiceLine {
  kind: InvoiceLineKind;
  description: string;
  amountMinor: number;
  periodStart?: number;
  periodEnd?: number;
  quantity?: number;
}

export const EmailTemplate = {
  SubscriptionCreated: 'subscription-created',
  RenewalReminder: 'renewal-reminder',
  Renewed: 'subscription-renewed',
  Lapsed: 'subscription-lapsed',
  Cancelled: 'subscription-cancelled',
  CancellationScheduled: 'cancellation-scheduled',
  BackupsPurged: 'config-backups-purged',
  Reinstated: 'subscription-reinstated',
  Upgraded: 'tier-upgraded',
  SeatsAdded: 'seats-added',
  WarrantyExtended: 'warranty-extended',
} as const;
export type EmailTemplate = (typeof EmailTemplate)[keyof typeof EmailTemplate];

export type Effect =
  | {
      type: 'invoice';
      /** Deterministic, so a retried activity can deduplicate at the billing system. */
      invoiceKey: string;
      currency: string;
      lines: InvoiceLine[];
      totalMinor: number;
      /** When each part is due; sums to totalMinor. */
      instalments: Instalment[];
    }
  | {
      type: 'email';
      template: EmailTemplate;
      /** Deterministic, so a retried activity sends each email once. */
      emailKey: string;
      data: Record<string, string | number>;
    }
  | { type: 'features-off'; features: string[]; licenses?: string[] }
  | { type: 'features-on'; features: string[]; licenses?: string[] }
  | { type: 'schedule-purge'; at: number }
  | { type: 'cancel-purge' }
  | { type: 'purge-config-backups' };

export type RefusalCode =
  | 'invalid_input'
  | 'unknown_plan'
  | 'unknown_tier'
  | 'unknown_product'
  | 'not_active'
  | 'not_lapsed'
  | 'already_renewed'
  | 'expired_use_reinstate'
  | 'not_yet_expired'
  | 'not_yet_due'
  | 'same_tier'
  | 'downgrade_mid_term'
  | 'tier_change_scheduled'
  | 'seats_not_applicable'
  | 'channel_not_included'
  | 'incident_cap_reached'
  | 'no_warranty'
  | 'warranty_expired'
  | 'warranty_not_extendable'
  | 'warranty_maximum_reached'
  | 'not_started'
  | 'expired'
  | 'lapse_gap';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** Human sentence suitable for a 409 body. */
  reason: string;
}

export interface Success {
  ok: true;
  state: SubscriptionState;
  effects: Effect[];
  /** True when the operation id had already been applied: nothing changed. */
  duplicate?: boolean;
}

export type OperationResult = Success | Refusal;

export interface OperationOptions {
  /** Idempotency key; an id already applied returns the state unchanged with no effects. */
  operationId?: string;
  catalog?: PlanCatalog;
  /** The catalog a renewal at this call is priced on and re-pins to; absent: the pinned one. */
  renewalCatalog?: PinnedCatalog;
}
