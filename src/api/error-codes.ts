import type { AccountRefusalCode, OpeningRefusalCode, SeatCountRefusalCode, ServiceRefusalCode } from '../domain/errors';
import type { RefusalCode as SubscriptionRefusalCode } from '../domain/subscription';
import type { RefusalCode as TicketRefusalCode } from '../domain/ticket/core';
import type { WorkflowRefusalCode } from '../../workflows/failures';

interface CodeDoc {
  status: number;
  /** When a client gets it; the README's table and the OpenAPI document are generated from these. */
  means: string;
}

const conflict = (means: string): CodeDoc => ({ status: 409, means });

/** The domain's refusals of a ticket action (src/domain/ticket/lifecycle.ts): each a 409 but topic_not_excluded, which is bad input. */
const ticketRefusals: Record<TicketRefusalCode, CodeDoc> = {
  ticket_closed: conflict('The ticket is closed; reopen it first.'),
  ticket_cancelled: conflict('An operator cancelled the ticket’s workflow; staff can restart it.'),
  ticket_resolved: conflict('The ticket is resolved; reopen it first.'),
  already_resolved: conflict('The ticket is already resolved.'),
  already_closed: conflict('The ticket is already closed.'),
  already_waiting: conflict('The ticket already waits on the customer.'),
  already_escalated: conflict('The ticket is already escalated to development.'),
  waiting_on_customer: conflict('The ticket waits on the customer; the action needs their reply first.'),
  not_resolved: conflict('Only a resolved ticket can be closed or reopened this way.'),
  reopen_window_passed: conflict('The window in which the closed ticket could be reopened has passed.'),
  auto_close_not_due: conflict('The automatic close is not due yet.'),
  priority_not_offered: conflict('The ticket’s policy does not offer this priority.'),
  priority_unchanged: conflict('The ticket already has this priority.'),
  emergency_priority: conflict('An emergency ticket’s priority is fixed while the emergency lasts.'),
  legacy_version: conflict('The product version is a legacy version without support for this action.'),
  version_unknown: conflict('The product version is unknown, so the action cannot be checked.'),
  no_dev_ticket: conflict('The ticket has no open development ticket.'),
  not_emergency: conflict('The ticket is not an emergency.'),
  already_mitigated: conflict('The emergency is already mitigated.'),
  already_downgraded: conflict('The emergency was already downgraded.'),
  not_responded: conflict('The ticket has not been answered yet.'),
  no_callback_pending: conflict('No phone call back is owed on the ticket (no phone message is waiting for one).'),
  phone_not_served: conflict('The ticket’s policy does not serve the phone channel, so it takes no phone message; write instead.'),
  topic_not_excluded: {
    status: 422,
    means:
      'The out-of-scope resolution names no topic, or one the ticket’s policy does not exclude (`detail` lists the ones it does: `scopeExclusions` of GET /v1/policies/:id), or another resolution names a topic.',
  },
  invalid_action: conflict('The action is malformed for this ticket (e.g. an empty assignee).'),
};

/** The domain's refusals of a subscription operation (src/domain/subscription). */
const subscriptionRefusals: Record<SubscriptionRefusalCode, CodeDoc> = {
  invalid_input: { status: 422, means: 'The subscription request is malformed.' },
  unknown_plan: { status: 422, means: 'No such plan in the catalog.' },
  unknown_tier: { status: 422, means: 'The plan has no such tier.' },
  unknown_product: { status: 422, means: 'No such hardware product in the catalog.' },
  not_active: conflict('The subscription is not active.'),
  not_lapsed: conflict('Only a lapsed subscription can be reinstated.'),
  already_renewed: conflict('The subscription is already renewed for the next term.'),
  expired_use_reinstate: conflict('The subscription expired; reinstate it instead of renewing.'),
  not_yet_expired: conflict('The subscription has not expired yet.'),
  not_yet_due: conflict('The renewal is not due yet.'),
  same_tier: conflict('The subscription already has this tier.'),
  downgrade_mid_term: conflict('A downgrade takes effect only at the end of the term.'),
  tier_change_scheduled: conflict('A tier change is already scheduled.'),
  seats_not_applicable: conflict('The plan is not priced per seat.'),
  channel_not_included: conflict('The tier does not include this support channel; a ticket’s `detail` says what is still open to it.'),
  incident_cap_reached: conflict('The yearly incident cap of the channel is used up; a ticket’s `detail` says what is still open to it.'),
  no_warranty: conflict('The subscription covers no hardware warranty.'),
  warranty_expired: conflict('The hardware warranty has expired.'),
  warranty_not_extendable: conflict('The product’s warranty cannot be extended.'),
  warranty_maximum_reached: conflict('The warranty is already at its maximum length.'),
  not_started: conflict('The subscription has not started yet.'),
  expired: conflict('The subscription has expired.'),
  lapse_gap: conflict('The instant falls in a gap between two covered periods.'),
};

const workflowRefusals: Record<WorkflowRefusalCode, CodeDoc> = {
  dev_ticket_not_open: conflict('The development ticket is resolved or cancelled.'),
  version_conflict: conflict('The stored version is newer than the one the change was based on, or was stored concurrently.'),
  claim_in_future: { status: 422, means: 'The ticket’s opening instant lies ahead of the subscription’s clock.' },
};

const openingRefusals: Record<OpeningRefusalCode, CodeDoc> = {
  unknown_policy: { status: 422, means: 'No support policy with this id.' },
  missing_ticket_fields: { status: 422, means: 'The policy requires fields the ticket lacks; `errors` names them.' },
  policy_misconfigured: { status: 503, means: 'The policy names a calendar or fallback policy that is missing.' },
  not_entitled: conflict('The customer has no support entitlement at this instant; `detail` gives the vendor’s advice.'),
  unknown_customer: { status: 422, means: 'No customer record with this id; create it with POST /v1/customers.' },
  requester_not_allowed: { status: 422, means: 'The requester is neither a contact of the customer nor on one of its mail domains.' },
  policy_not_in_contract: { status: 422, means: 'The customer did not buy the named policy; `errors` lists the ones it may name.' },
  channel_not_served: { status: 422, means: 'The ticket’s policy does not serve this channel; `detail` names the ones it does.' },
  unknown_system: { status: 422, means: 'The customer has no installed system with this id.' },
  system_not_covered: conflict('The named system has no active contract; `detail` gives the vendor’s advice.'),
  not_under_warranty: conflict(
    'A hardware warranty request for a system whose warranty has ended (or a vendor that sells none); `detail` gives the vendor’s advice.',
  ),
};

const accountRefusals: Record<AccountRefusalCode, CodeDoc> = {
  unknown_vendor: { status: 422, means: 'No vendor with this id.' },
  unknown_reseller: { status: 422, means: 'No reseller with this id, or it sells for another vendor.' },
  invalid_account: {
    status: 422,
    means: 'The record contradicts itself (a contract naming an unknown system or policy); `errors` says where.',
  },
};

/** Per-user seats counted from the customer's devices (004) when a subscription is created. */
const seatCountCodes: Record<SeatCountRefusalCode, CodeDoc> = {
  no_devices: {
    status: 422,
    means:
      'Seats were omitted for a per-user plan, but the customer’s record lists no device that counts as a user; send `devices` with PATCH /v1/customers/:id or give `seats`.',
  },
  seats_mismatch: {
    status: 422,
    means:
      'The `seats` given differ from the users counted from the customer’s devices; `detail` names the count. Omit `seats` or correct the device list.',
  },
};

/** Services a subscription grants (004): configuration backups; also why an admin event was not mailed. */
const serviceRefusals: Record<ServiceRefusalCode, CodeDoc> = {
  feature_not_active: conflict(
    'The customer holds no active subscription whose plan includes this service (config backups, admin notifications); `detail` says when it lapsed.',
  ),
  end_of_life_product: conflict('The system’s product is end-of-life, so its configuration is not backed up (004: “Except EOL products”).'),
};

/** Codes the HTTP layer itself answers. */
const apiCodes = {
  malformed_json: { status: 400, means: 'The body is not valid JSON.' },
  bad_request: { status: 400, means: 'The request could not be read.' },
  malformed_path: { status: 400, means: 'The path is not valid percent-encoded UTF-8.' },
  unauthorized: { status: 401, means: 'No valid API key.' },
  forbidden: { status: 403, means: 'The key’s role may not do this.' },
  csrf_failed: { status: 403, means: 'A change made with the console’s session cookie lacks its X-CSRF-Token header.' },
  tenant_mismatch: { status: 403, means: 'The key may act only for its own tenant.' },
  not_found: { status: 404, means: 'No such resource, or not visible to this key.' },
  method_not_allowed: { status: 405, means: 'The path exists, but not with this method; `Allow` lists the methods it takes.' },
  already_exists: conflict('A resource with this id already exists.'),
  ticket_exists: conflict('An earlier attempt with this Idempotency-Key opened the ticket.'),
  ticket_finished: conflict('The ticket’s workflow has ended; no further actions are possible.'),
  ticket_running: conflict('The ticket’s workflow is running; there is nothing to restart.'),
  subscription_running: conflict('The subscription’s workflow is running; there is nothing to restart.'),
  preset_calendar: conflict('Preset calendars cannot be changed.'),
  idempotency_in_progress: conflict('A request with this Idempotency-Key is still running; retry.'),
  payload_too_large: { status: 413, means: 'The body exceeds 256 kB.' },
  unsupported_encoding: { status: 415, means: 'The body’s encoding or charset is not supported (send UTF-8).' },
  unsupported_media_type: { status: 415, means: 'Send the body as application/json.' },
  validation_failed: { status: 422, means: 'The request is invalid; `errors` names each field.' },
  idempotency_key_reused: { status: 422, means: 'The Idempotency-Key was used with a different request.' },
  invalid_policy: { status: 422, means: 'The policy is invalid; `errors` names each field.' },
  invalid_calendar: { status: 422, means: 'The calendar is invalid; `errors` names each field.' },
  unsupported_priority: { status: 422, means: 'The policy does not offer this priority.' },
  rate_limited: { status: 429, means: 'Too many requests; wait for Retry-After.' },
  internal: { status: 500, means: 'A fault of ours, logged with the request id.' },
  dependency_timeout: { status: 503, means: 'A backing service did not answer in time; retry.' },
  dependency_unavailable: { status: 503, means: 'A backing service is unavailable; retry.' },
} as const satisfies Record<string, CodeDoc>;

/** The catalog, paid tickets, billable time and quotes (issue 14). */
const commerceCodes = {
  invalid_catalog: {
    status: 422,
    means: 'The catalog change would refer to a plan, product or policy it does not hold; `errors` says where.',
  },
  payment_reference_required: {
    status: 422,
    means: 'The ticket is a paid product (000’s emergency ticket): send the payment provider’s `paymentReference` with it.',
  },
  payment_reference_used: conflict('This `paymentReference` already paid for another customer’s ticket.'),
  contract_required: conflict('The vendor sells this product only to customers with an active contract.'),
  quote_not_open: conflict('The quote was accepted or has expired; ask for a new one by opening the ticket again.'),
} as const satisfies Record<string, CodeDoc>;

/** A ticket's conversation (issue 15). */
const conversationCodes = {
  note_before_ticket: conflict('The ticket was opened a moment ago and is not recorded yet; retry the note.'),
  no_dev_ticket_yet: { status: 404, means: 'The ticket was never escalated, so it has no development ticket to read.' },
  time_in_future: {
    status: 422,
    means: 'Time recorded on a ticket, or a config backup’s `takenAt`, lies ahead of the server’s clock (more than a minute).',
  },
} as const satisfies Record<string, CodeDoc>;

/** The SLA report's query (issue 17, item 2). */
const reportCodes = {
  report_range_inverted: { status: 422, means: 'The report’s `from` is not before its `to`.' },
  report_range_too_long: { status: 422, means: 'The report’s range spans more than 366 days; ask for shorter periods.' },
  unknown_group_by: { status: 422, means: 'The report’s `groupBy` is not one of policy, priority, customer, week.' },
} as const satisfies Record<string, CodeDoc>;

/** Every `code` a client can receive, with its status: one vocabulary for tickets, subscriptions and the API. */
export const errorCodes = {
  ...apiCodes,
  ...commerceCodes,
  ...conversationCodes,
  ...reportCodes,
  ...openingRefusals,
  ...accountRefusals,
  ...seatCountCodes,
  ...serviceRefusals,
  ...ticketRefusals,
  ...subscriptionRefusals,
  ...workflowRefusals,
} satisfies Record<string, CodeDoc>;

export type ErrorCode = keyof typeof errorCodes;

export const ERROR_CODES = Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(code: string | undefined | null): code is ErrorCode {
  return code !== undefined && code !== null && Object.hasOwn(errorCodes, code);
}
