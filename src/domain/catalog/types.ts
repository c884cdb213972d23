import type { VendorProfile } from '../accounts/types';
import type { HardwareCatalog, PlanCatalog } from '../subscription/types';

/**
 * A ticket sold on its own (000: "Emergency 24x7 Support … $349 per ticket"), keyed by the policy the
 * ticket runs on. Buying it is the purchase: the charge is recorded with the ticket it opened.
 */
export interface TicketProduct {
  policyId: string;
  vendorId: string;
  name: string;
  priceMinor: number;
  currency: string;
  /** 000: "the emergency support costs may be refunded" when staff judge it no emergency. */
  refundOnDowngrade: boolean;
  /** Whether only customers with an active contract may buy it; 000 sells to anyone. */
  requiresActiveContract: boolean;
}

/** Billable time (004: "must pay hourly"; 002: "support hours … at the billable hourly rate"). */
export interface HourlyRate {
  vendorId: string;
  /** Policies whose tickets are billed for their recorded time when resolved. */
  billedPolicyIds: string[];
  rateMinor: number;
  currency: string;
  /** Time is billed in started blocks of this many minutes. */
  incrementMinutes: number;
  minimumMinutes: number;
}

/** 002's expired-contract quote: what a reseller must buy before service proceeds. */
export interface ReinstatementQuoteTerms {
  vendorId: string;
  /** The current software release; a system behind it needs (a) an upgrade first. */
  currentRelease: string;
  upgradePriceMinor: number;
  /** The plan renewed in (b), when the customer had none before. */
  renewalPlanId: string;
  /** (c) "support hours for a system audit and the upgrade", at the vendor's hourly rate. */
  auditHours: number;
  currency: string;
  /** How long a quote stands before it must be asked again. */
  validDays: number;
}

/** Everything a vendor would change about what it sells, as one versioned document. */
export interface Catalog {
  plans: PlanCatalog;
  hardware: HardwareCatalog;
  ticketProducts: Readonly<Record<string, TicketProduct>>;
  hourlyRates: Readonly<Record<string, HourlyRate>>;
  quotes: Readonly<Record<string, ReinstatementQuoteTerms>>;
  vendors: Readonly<Record<string, VendorProfile>>;
  /** Each number the seeds leave open and this catalog chose. */
  assumptions: string[];
}

export interface CatalogVersion {
  version: number;
  catalog: Catalog;
  createdAt: string;
  createdBy: string;
  note: string;
}

export type { PinnedCatalog } from '../subscription/types';
