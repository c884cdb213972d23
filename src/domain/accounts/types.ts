import type { Device } from '../subscription/user-count';
import type { TicketChannel } from '../ticket/types';

/** A person who may open tickets for a customer; tickets they open are mailed to them. */
export interface Contact {
  name?: string;
  email: string;
  /**
   * The customer's system administrator (004: "Receive email notifications of system administration issues
   * or events to proactively respond to situations before users ever notice"): mailed every such event.
   */
  administrator?: boolean;
}

/**
 * An installed product (002: "System type and Host ID, Software Release level"; 000: product and build).
 * Its details prefill the ticket's required fields, so the reseller does not retype them per ticket.
 */
export interface InstalledSystem {
  id: string;
  type: string;
  hostId?: string;
  /** 000's product name ("SmarterMail"); the type when absent. */
  product?: string;
  /** Software release or build ("5.1", "100.0.9000"). */
  release?: string;
  /** Hardware warranty end (ISO instant); absent for software-only systems. */
  warrantyEnd?: string;
  /** The manufacturer declared the product end-of-life: 004 backs up configurations "(*Except EOL products.)". */
  endOfLife?: boolean;
}

/**
 * What the customer bought directly: a support policy for a stretch of time, for all its systems or
 * only some (002: "the equipment has an active … contract in place and at the corresponding level").
 * Subscriptions are contracts too; they live in their own workflow and are asked separately.
 */
export interface Contract {
  id: string;
  policyId: string;
  /** ISO instants; `validTo` is exclusive and absent for an open-ended contract. */
  validFrom: string;
  validTo?: string;
  /** Absent: every system of the customer. */
  systemIds?: string[];
}

export interface Customer {
  id: string;
  name: string;
  timeZone: string;
  vendorId: string;
  resellerId?: string;
  contacts: Contact[];
  /** Mail domains whose every address may open tickets (`acme.test`). */
  domains: string[];
  contracts: Contract[];
  systems: InstalledSystem[];
  /** 004's phones, extensions, app users, mailboxes and menus: a per-user subscription's seats are counted from them. */
  devices?: Device[];
}

export interface Reseller {
  id: string;
  name: string;
  vendorId: string;
  contacts: Contact[];
}

/**
 * What a vendor says to a customer without a contract, as data per vendor (issue 13, item 4): refuse
 * with its own advice, or open the ticket on a paid policy (004 "must pay hourly"). `paidPolicyIds`
 * may be named by anyone because buying them is the purchase (000's emergency ticket).
 */
export interface VendorProfile {
  id: string;
  name: string;
  policyIds: string[];
  paidPolicyIds: string[];
  noContract: { advice: string; openOnPolicyId?: string };
  /** Shown when a named system has no contract (002's registry check); defaults to `noContract.advice`. */
  systemAdvice?: string;
  /** Hardware warranty service (002), checked per system against its `warrantyEnd` and the warranties sold for it. */
  warranty?: { policyId: string; expiredAdvice: string };
}

/** 002 sells software support and hardware warranty separately; a ticket asks for one of them. */
export type ServiceKind = 'support' | 'hardware_warranty';

/**
 * A hardware warranty sold through a subscription for one of the customer's systems (002: the first
 * year with the purchase, one more per "extended warranty"). Epoch ms; `end` is exclusive.
 */
export interface SoldWarranty {
  subscriptionId: string;
  systemId: string;
  start: number;
  end: number;
}

/** A subscription's answer at the opening instant, reduced to what coverage needs. */
export type SubscriptionCover =
  { covered: true; policyId: string; subscriptionId: string; tier: string } | { covered: false; code: string; reason: string };

export type CoverageRefusalCode =
  'policy_not_in_contract' | 'not_entitled' | 'unknown_system' | 'system_not_covered' | 'not_under_warranty';

export type Coverage =
  | {
      ok: true;
      policyId: string;
      /** Which contract covered the ticket: a direct contract's id, a subscription id, or the vendor's paid path. */
      coveredBy:
        | { kind: 'contract'; contractId: string }
        | { kind: 'subscription'; subscriptionId: string; tier: string }
        | { kind: 'warranty'; systemId: string }
        | { kind: 'paid' };
      system?: InstalledSystem;
    }
  | { ok: false; code: CoverageRefusalCode; message: string; allowed: string[] };

export type { TicketChannel };
