/** A field the client sent, named as the client sent it (`body.description`), and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/** Refusals raised below the API, before any workflow runs (opening a ticket). */
export type OpeningRefusalCode =
  | 'unknown_policy'
  | 'missing_ticket_fields'
  | 'policy_misconfigured'
  | 'not_entitled'
  | 'unknown_customer'
  | 'requester_not_allowed'
  | 'policy_not_in_contract'
  | 'channel_not_served'
  | 'unknown_system'
  | 'system_not_covered'
  | 'not_under_warranty';

/** Refusals of what is bought: paid tickets, the catalog, quotes (issue 14). */
export type CommerceRefusalCode = 'payment_reference_required' | 'payment_reference_used' | 'contract_required' | 'quote_not_open';

/** Refusals of a customer or reseller record. */
export type AccountRefusalCode = 'unknown_vendor' | 'unknown_reseller' | 'invalid_account';

/** Refusals of per-user seats counted from a customer's devices (004). */
export type SeatCountRefusalCode = 'no_devices' | 'seats_mismatch';

/** A subscriber's claim refused by what the plan limits, not for want of a subscription (004's phone cap). */
export type ClaimRefusalCode = 'incident_cap_reached' | 'channel_not_included';

/** Refusals of a service a subscription grants (004's admin notifications and config backups). */
export type ServiceRefusalCode = 'feature_not_active' | 'end_of_life_product';

/** Refusals of a restart of a ticket's workflow. */
export type RestartRefusalCode = 'ticket_running' | 'ticket_finished' | 'subscription_running';

/**
 * A refusal of the domain's services, in the domain's words: the API maps its code to an HTTP status
 * (src/api/error-codes.ts), so nothing below the API knows about HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code:
      | OpeningRefusalCode
      | ClaimRefusalCode
      | RestartRefusalCode
      | AccountRefusalCode
      | SeatCountRefusalCode
      | CommerceRefusalCode
      | ServiceRefusalCode,
    message: string,
    readonly errors?: FieldError[],
    readonly extensions?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
