import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  CreateSubscriptionInput,
  Entitlement,
  LicenseStatus,
  PinnedCatalog,
  RefusalCode,
  SubscriptionState,
  SubscriptionStatus,
} from '../../src/domain/subscription';
import { TICKET_TASK_QUEUE } from '../ticket/contract';

/** Everything a client, the API or a worker needs to talk to subscription workflows. */

/** One worker serves tickets and subscriptions: a ticket opening claims its entitlement synchronously. */
export const SUBSCRIPTION_TASK_QUEUE = TICKET_TASK_QUEUE;

export function subscriptionWorkflowId(subscriptionId: string): string {
  return `subscription-${subscriptionId}`;
}

/** Channels a ticket can arrive on; web-form tickets are written requests and count as email. */
export type TicketChannel = 'phone' | 'email' | 'web';

/** The domain's entitlement at the ticket's opening instant, stamped with who asked and when. */
export type EntitlementDecision =
  | (Extract<Entitlement, { covered: true }> & { subscriptionId: string; customerId: string; ticketId: string; decidedAt: number })
  | {
      covered: false;
      code: RefusalCode | 'no_subscription';
      reason: string;
      subscriptionId?: string;
      ticketId: string;
      decidedAt?: number;
    };

export interface ClaimRecord {
  ticketId: string;
  decision: EntitlementDecision;
  /**
   * The incident this claim counted, held until its ticket is seen to exist: a ticket whose start failed
   * (or whose API process died before starting it) gives it back. Absent: kept for good.
   */
  held?: HeldIncident;
}

export interface HeldIncident {
  channel: TicketChannel;
  /** The opening instant the incident was counted at (its subscription year). */
  at: number;
  /** The latest attempt's opening instant: only that attempt may give the incident back. */
  attemptAt: number;
  /** Workflow time of the latest attempt; the ticket's existence is checked CLAIM_HOLD_MS later. */
  claimedAt: number;
}

export interface NewSubscriptionInput {
  kind: 'create';
  request: CreateSubscriptionInput & { id: string };
  contactEmail: string;
  /** The catalog version the sale is priced on (absent: the built-in plans). */
  catalog?: PinnedCatalog;
  /** The API's clock when it validated the request, so the workflow builds the same first term. */
  createdAt?: number;
}

/** What one run hands the next at continue-as-new. */
export interface CarriedSubscription {
  kind: 'continue';
  state: SubscriptionState;
  contactEmail: string;
  claims: ClaimRecord[];
  /** Read-model version, monotonic across runs. */
  version: number;
  run: number;
}

export type SubscriptionWorkflowInput = NewSubscriptionInput | CarriedSubscription;

export interface ReminderView {
  offsetDays: number;
  at: number;
}

export interface TimerView {
  kind: string;
  at: number;
  summary: string;
}

export interface SubscriptionView {
  id: string;
  customerId: string;
  planId: string;
  tier: string;
  status: SubscriptionStatus;
  timeZone: string;
  termStart: number;
  termEnd: number;
  seats: number;
  billingCycle: string;
  autoRenew: boolean;
  cancelAtTermEnd: boolean;
  reminders: ReminderView[];
  nextTimers: TimerView[];
  warrantyEnd: number | null;
  lapsedAt: number | null;
  purgeAt: number | null;
  purgedAt: number | null;
  /** 004: the third-party licenses the plan includes, off while the subscription has lapsed. */
  thirdPartyLicenses: LicenseStatus[];
  state: SubscriptionState;
}

export interface ChargeSummary {
  invoiceKey: string;
  currency: string;
  totalMinor: number;
  lines: Array<{ kind: string; description: string; amountMinor: number }>;
}

/** Every operation answers with the resulting subscription and what it charged. */
export interface OperationOutcome {
  subscription: SubscriptionView;
  invoices: ChargeSummary[];
  /** True when the operation id had already been applied: nothing changed. */
  duplicate: boolean;
}

/** Without an operationId the Temporal update id is used, which dedupes a retried request too. */
export interface OperationArgs {
  operationId?: string;
}

/** The catalog current when the API took the request: a renewal or reinstatement is priced and pinned on it. */
export interface RepricingArgs extends OperationArgs {
  catalog?: PinnedCatalog;
}

export interface RenewArgs extends RepricingArgs {
  /** Tier for the next term; a lower tier is how a downgrade happens. */
  tier?: string;
}
export interface UpgradeArgs extends OperationArgs {
  tier: string;
}
export interface AddSeatsArgs extends OperationArgs {
  seats: number;
}
export interface RecordIncidentArgs extends OperationArgs {
  channel: TicketChannel;
  at?: number;
}
export interface ClaimTicketEntitlementArgs {
  ticketId: string;
  channel: TicketChannel;
  /** When the ticket was opened; 002 covers tickets opened before expiry even if claimed after. */
  at: number;
}

export interface ReleaseTicketEntitlementArgs {
  ticketId: string;
  /** The opening instant the failed attempt claimed with. */
  at: number;
}

export const renewUpdate = defineUpdate<OperationOutcome, [RenewArgs]>('renew');
export const reinstateUpdate = defineUpdate<OperationOutcome, [RepricingArgs]>('reinstate');
export const upgradeUpdate = defineUpdate<OperationOutcome, [UpgradeArgs]>('upgrade');
export const addSeatsUpdate = defineUpdate<OperationOutcome, [AddSeatsArgs]>('addSeats');
export const cancelAtTermEndUpdate = defineUpdate<OperationOutcome, [OperationArgs]>('cancelAtTermEnd');
export const extendWarrantyUpdate = defineUpdate<OperationOutcome, [OperationArgs]>('extendWarranty');
export const recordIncidentUpdate = defineUpdate<OperationOutcome, [RecordIncidentArgs]>('recordIncident');
export const claimTicketEntitlementUpdate = defineUpdate<EntitlementDecision, [ClaimTicketEntitlementArgs]>('claimTicketEntitlement');
/** Gives back the incident a ticket whose workflow never started had claimed; answers whether it did. */
export const releaseTicketEntitlementUpdate = defineUpdate<{ released: boolean }, [ReleaseTicketEntitlementArgs]>(
  'releaseTicketEntitlement',
);
export const subscriptionQuery = defineQuery<SubscriptionView>('subscription');
/** What the next run would start from; readable on an ended run, so staff can restart it from there. */
export const subscriptionCarryQuery = defineQuery<CarriedSubscription>('carry');

/** How far a claim's opening instant may lie ahead of the workflow clock before it is refused: clock skew, not more. */
export const MAX_CLAIM_SKEW_MS = 5 * 60_000;

/**
 * How long a claimed incident is held before the subscription checks that its ticket exists: far longer
 * than an opening takes (its Temporal calls are bounded by the API's deadline), so a ticket still being
 * started is never taken for a failed one.
 */
export const CLAIM_HOLD_MS = 5 * 60_000;
