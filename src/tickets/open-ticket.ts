import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { fromPayloadsAtIndex, type SearchAttributePair } from '@temporalio/common';
import {
  effectivePriority,
  previewDeadlines,
  requestedCallbackAt,
  validateTicketFields,
  type Priority,
  type Schedule,
  type ScheduleItemKind,
  type TicketChannel,
} from '../domain/ticket/index';
import { CustomerIdKey, SupportTierKey, ticketSearchAttributes } from '../../workflows/search-attributes';
import {
  SlaState,
  TICKET_TASK_QUEUE,
  ticketWorkflowId,
  type Contacts,
  type OpenTicketInput,
  type TicketPurchase,
} from '../../workflows/ticket/contract';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { DomainError, type CommerceRefusalCode, type OpeningRefusalCode } from '../domain/errors';
import { coverageAt, mayRequest, prefilledFields, resellerCopy, type ServiceKind } from '../domain/accounts/index';
import { presetCatalogStore, type CatalogStore } from '../catalog/catalog-store';
import type { CatalogVersion } from '../domain/catalog/index';
import { presentQuote, quoteForRefusal } from '../quotes/quote-service';
import type { QuoteStore } from '../quotes/quote-store';
import type { AccountStore } from '../accounts/account-store';
import { coveredByOf, pinPolicy, workflowTerms } from './pinned-policies';
import type { CalendarStore } from './calendar-store';
import type { EntitlementGateway } from '../subscriptions/entitlement-gateway';
import { entitlementRefusal } from './entitlement-refusal';
import type { PolicyStore } from './policy-store';
import { randomId } from '../infra/random-id';

/** What a caller supplies; the rest of the workflow input (policy, deadlines, tier) is decided here. */
export type OpenTicketRequest = Pick<
  OpenTicketInput,
  'customerId' | 'resellerId' | 'requesterEmail' | 'requesterZone' | 'subject' | 'description' | 'fields' | 'parentTicketId'
> & {
  priority?: Priority;
  policyId?: string;
  channel?: TicketChannel;
  systemId?: string;
  service?: ServiceKind;
  ticketId?: string;
  paymentReference?: string;
  inboundMessageId?: string;
};

export interface TicketOpener {
  client: Client;
  policies: PolicyStore;
  accounts: AccountStore;
  contacts: Contacts;
  entitlements?: EntitlementGateway;
  /** Where 002's expired-contract quotes are kept; without it a refusal only advises. */
  quotes?: QuoteStore;
  /** Vendor rules and per-ticket prices; the seed presets when absent. */
  catalog?: CatalogStore;
  /** Custom calendars a stored policy may name; presets need none. */
  calendars?: CalendarStore;
  taskQueue?: string;
  now?: () => number;
}

const refuse = (code: OpeningRefusalCode | CommerceRefusalCode, message: string, path: string, why: string) =>
  new DomainError(code, message, [{ path, message: why }]);

/**
 * Everything checked before a workflow starts, so a refused ticket leaves nothing behind (no workflow,
 * no row): the customer exists and knows the requester, its contract decides the policy (a client may
 * only choose among what was bought), the policy serves the channel and has its required fields, and
 * the subscription, asked last because a claim counts an incident, confirms the entitlement.
 */
export async function openTicket(deps: TicketOpener, req: OpenTicketRequest) {
  const customer = await deps.accounts.customer(req.customerId);
  if (!customer) throw refuse('unknown_customer', `No customer "${req.customerId}".`, 'body.customerId', 'unknown customer');
  if (req.resellerId !== undefined && req.resellerId !== customer.resellerId) {
    throw new DomainError('unknown_customer', `Customer ${customer.id} does not buy through reseller ${req.resellerId}.`, [
      {
        path: 'body.resellerId',
        message: customer.resellerId ? `the customer's reseller is ${customer.resellerId}` : 'the customer buys directly',
      },
    ]);
  }
  const reseller = customer.resellerId ? await deps.accounts.reseller(customer.resellerId) : undefined;
  if (!mayRequest(customer, req.requesterEmail, reseller)) {
    throw refuse(
      'requester_not_allowed',
      `${req.requesterEmail} is not a contact of ${customer.name}${reseller ? ' or its reseller' : ''}; tickets are mailed to their requester, so only the customer's people may open them.`,
      'body.requesterEmail',
      'not a contact or domain of the customer',
    );
  }
  const catalog = await (deps.catalog ?? presetCatalogStore()).current();
  const vendor = Object.hasOwn(catalog.catalog.vendors, customer.vendorId) ? catalog.catalog.vendors[customer.vendorId] : undefined;
  if (!vendor) throw new DomainError('policy_misconfigured', `Vendor ${customer.vendorId} of customer ${customer.id} is missing.`);
  const openedAt = (deps.now ?? Date.now)();
  const subscription = await deps.entitlements?.peek(customer.id, openedAt);
  // 002: a warranty sold with a subscription covers the system it names, as the system's own record does.
  const warranties = req.service === 'hardware_warranty' ? await deps.entitlements?.warranties(customer.id) : undefined;
  const coverage = coverageAt({
    customer,
    vendor,
    at: openedAt,
    ...(req.policyId !== undefined ? { requestedPolicyId: req.policyId } : {}),
    ...(req.systemId !== undefined ? { systemId: req.systemId } : {}),
    ...(req.service ? { service: req.service } : {}),
    ...(subscription ? { subscription } : {}),
    ...(warranties ? { warranties } : {}),
  });
  if (!coverage.ok) {
    const path =
      coverage.code === 'policy_not_in_contract' ? 'body.policyId' : coverage.code === 'not_entitled' ? 'body.customerId' : 'body.systemId';
    const lapsed = coverage.code === 'not_entitled' || coverage.code === 'system_not_covered';
    const { ticketId: _t, ...asked } = req;
    const quote = lapsed && deps.quotes ? await quoteForRefusal(deps.quotes, catalog, customer, asked, openedAt) : undefined;
    const next = quote
      ? ` Quote ${quote.id} lists what to buy; once an approved purchase order is given with POST /v1/quotes/${quote.id}/accept, the ticket proceeds.`
      : '';
    throw new DomainError(
      coverage.code,
      coverage.message + next,
      [{ path, message: coverage.allowed.length ? `allowed: ${coverage.allowed.join(', ')}` : coverage.code }],
      quote ? { quote: presentQuote(quote) } : undefined,
      quote ? { Link: `</v1/quotes/${quote.id}>; rel="payment"` } : {},
    );
  }
  const policy = await deps.policies.get(coverage.policyId);
  if (!policy)
    throw new DomainError('unknown_policy', `No support policy "${coverage.policyId}".`, [
      { path: 'body.policyId', message: 'unknown policy' },
    ]);
  const channel = req.channel ?? policy.channels?.[0] ?? 'web';
  if (policy.channels && !policy.channels.includes(channel)) {
    throw refuse(
      'channel_not_served',
      `${policy.name} is served by ${policy.channels.join(' and ')}, not ${channel}.`,
      'body.channel',
      `served: ${policy.channels.join(', ')}`,
    );
  }
  const asked = new Set(policy.requiredFields.map((f) => f.key));
  const prefilled = Object.entries(prefilledFields(customer, coverage.system)).filter(([k]) => asked.has(k) || k === 'systemId');
  const fields = { ...Object.fromEntries(prefilled), ...req.fields };
  const fieldErrors = validateTicketFields(policy, { description: req.description, ...fields }, channel);
  if (fieldErrors.length) {
    // The description is a top-level field of the request; the policy checks it like any other.
    const pathOf = (path: string[]) =>
      path[1] === 'description' && req.fields.description === undefined ? 'body.description' : ['body', ...path].join('.');
    const errors = fieldErrors.map((e) => ({ path: pathOf(e.path), message: e.message }));
    throw new DomainError('missing_ticket_fields', `${policy.name} needs more information to open a ticket.`, errors);
  }
  const priority = effectivePriority(policy, req.priority, `${req.subject}\n${req.description}`);
  const { policies: policiesById, calendars: frozen } = await pinPolicy(deps, policy, openedAt);
  const purchase = coverage.coveredBy.kind === 'paid' ? purchaseOf(catalog, vendor.id, coverage.policyId, req) : undefined;
  if (purchase && catalog.catalog.ticketProducts[coverage.policyId]?.requiresActiveContract) {
    const without = coverageAt({ customer, vendor, at: openedAt, ...(subscription ? { subscription } : {}) });
    if (!without.ok || without.coveredBy.kind === 'paid')
      throw new DomainError('contract_required', `${purchase.product} is sold only to customers with an active contract.`);
  }
  const ticketId = purchase ? paidTicketId(vendor.id, purchase.paymentReference) : (req.ticketId ?? randomId('T-'));
  if (purchase) purchase.chargeKey = `ticket:${ticketId}:purchase`;

  let tier = policy.id;
  let subscriptionId: string | undefined;
  if (coverage.coveredBy.kind === 'subscription' && deps.entitlements) {
    const e = await deps.entitlements.claim({ customerId: customer.id, ticketId, channel, at: openedAt });
    if (!e.covered) throw entitlementRefusal({ decision: e, channel, policy, vendor, catalog: catalog.catalog });
    tier = e.tier;
    subscriptionId = e.subscriptionId;
  }
  const coveredBy = coveredByOf(coverage.coveredBy);

  const product = fields.product && fields.productVersion ? { product: fields.product, version: fields.productVersion } : undefined;
  const resellerCc = resellerCopy(reseller, req.requesterEmail);
  const input: OpenTicketInput = {
    ticketId,
    customerId: req.customerId,
    ...(customer.resellerId ? { resellerId: customer.resellerId } : {}),
    requesterEmail: req.requesterEmail,
    ...(req.requesterZone ? { requesterZone: req.requesterZone } : {}),
    subject: req.subject,
    description: req.description,
    fields,
    channel,
    priority,
    ...workflowTerms(policy, policiesById),
    calendars: frozen,
    ...(product ? { product } : {}),
    tier,
    ...(subscriptionId ? { subscriptionId } : {}),
    coveredBy,
    ...(purchase ? { purchase } : {}),
    ...(req.inboundMessageId ? { inboundMessageId: req.inboundMessageId } : {}),
    ...(resellerCc.length ? { resellerCc } : {}),
    ...(req.parentTicketId ? { parentTicketId: req.parentTicketId } : {}),
    commits: 'serial',
    endsAtClose: true,
    secondLevelOwnPromise: true,
    contacts: deps.contacts,
    openedAt,
  };
  const schedule = scheduleOf(input);
  const first = schedule.items.find((i) => i.kind === 'first_response');
  try {
    await deps.client.workflow.start(ticketWorkflow, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue: deps.taskQueue ?? TICKET_TASK_QUEUE,
      args: [input],
      // A ticket id names one ticket: a start over a closed one's id (a retried key, a redelivered mail,
      // a payment used again) is refused as a duplicate, never run as a second ticket writing its rows.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `${policy.name} · ${priority} · ${req.customerId}: ${req.subject.slice(0, 80)}`,
      staticDetails: first ? first.text : undefined,
      // Who may see the ticket before its row is written (the API's tenant check reads it).
      memo: { customerId: req.customerId, ...(customer.resellerId ? { resellerId: customer.resellerId } : {}) },
      typedSearchAttributes: [
        { key: CustomerIdKey, value: req.customerId },
        { key: SupportTierKey, value: tier },
        ...ticketSearchAttributes({ status: 'new', priority, slaState: SlaState.Ok, nextDeadline: first?.dueAt ?? null }).filter(
          (a): a is SearchAttributePair => a.value !== null,
        ),
      ],
    });
  } catch (err) {
    // An id already started is the ticket the claim was made for (a retry): it keeps its incident.
    if (subscriptionId && deps.entitlements && !(err instanceof WorkflowExecutionAlreadyStartedError)) {
      await giveBackIncident(deps.entitlements, { subscriptionId, ticketId, at: openedAt });
    }
    throw err;
  }
  return openedTicket(input, schedule);
}

/**
 * The incident claimed for a ticket whose start failed goes back now when Temporal answers; when it does
 * not, the subscription gives it back itself once it sees the ticket never started. Either way the
 * caller gets the start's own failure.
 */
async function giveBackIncident(entitlements: EntitlementGateway, claim: { subscriptionId: string; ticketId: string; at: number }) {
  await entitlements.release(claim).catch(() => false);
}

/**
 * A ticket sold per ticket (000: "Emergency Support tickets are submitted as part of the purchase
 * process") carries its sale; the price is the catalog's at the opening instant.
 */
function purchaseOf(catalog: CatalogVersion, vendorId: string, policyId: string, req: OpenTicketRequest): TicketPurchase | undefined {
  const product = Object.hasOwn(catalog.catalog.ticketProducts, policyId) ? catalog.catalog.ticketProducts[policyId] : undefined;
  if (!product || product.vendorId !== vendorId) return undefined;
  if (req.paymentReference === undefined)
    throw refuse(
      'payment_reference_required',
      `${product.name} is bought with the ticket: send the payment provider's reference as paymentReference.`,
      'body.paymentReference',
      'required for a ticket sold per ticket',
    );
  return {
    chargeKey: '',
    product: product.name,
    amountMinor: product.priceMinor,
    currency: product.currency,
    paymentReference: req.paymentReference,
    catalogVersion: catalog.version,
    refundOnDowngrade: product.refundOnDowngrade,
  };
}

/** One payment opens one ticket: a retried purchase reaches the workflow it started, and is charged once. */
export function paidTicketId(vendorId: string, paymentReference: string): string {
  return `T-${createHash('sha256').update(`paid\n${vendorId}\n${paymentReference}`).digest('hex').slice(0, 12).toUpperCase()}`;
}

/**
 * The deadlines the API promises at opening: the same ones the workflow computes from its input (a phone
 * ticket is a message left for a call back, owed where the policy promises one, not before the time it asks).
 */
function scheduleOf(input: OpenTicketInput): Schedule {
  const calendar = input.calendars?.[input.policy.calendarId];
  const callbackAt = input.channel === 'phone' ? requestedCallbackAt(input.fields.callbackAt, input.openedAt) : undefined;
  return previewDeadlines(input.policy, input.priority, input.openedAt, {
    ...(input.requesterZone ? { zone: input.requesterZone } : {}),
    ...(calendar ? { calendar } : {}),
    ...(input.channel === 'phone' ? { includePhoneCallback: true } : {}),
    ...(callbackAt !== undefined ? { callbackAt } : {}),
  });
}

/** The schedule's item kinds by the clock each one is (the workflow's `deadlines` keys). */
function clockOf(kind: ScheduleItemKind): string {
  if (kind === 'resolution_first_level') return 'resolution';
  if (kind === 'phone_callback') return 'callback';
  return kind;
}

/** The 201 body, built from the workflow input alone so that a retry can rebuild it exactly. */
function openedTicket(input: OpenTicketInput, schedule: Schedule) {
  return {
    id: input.ticketId,
    status: 'new' as const,
    priority: input.priority,
    policyId: input.policy.id,
    policyVersion: input.policy.version,
    tier: input.tier,
    ...(input.coveredBy ? { coveredBy: input.coveredBy } : {}),
    customerId: input.customerId,
    ...(input.purchase ? { purchase: input.purchase } : {}),
    channel: input.channel,
    openedAt: new Date(input.openedAt).toISOString(),
    deadlines: Object.fromEntries(
      schedule.items.filter((i) => i.kind !== 'resolution_second_level').map((i) => [clockOf(i.kind), i.dueIso]),
    ),
    schedule: schedule.items.map((i) => ({ kind: i.kind, dueAt: i.dueIso, text: i.text })),
  };
}

/**
 * The 201 body an earlier attempt with the same ticket id got (or would have got, had its reply not
 * been lost), rebuilt from the workflow's start input; undefined when that id is not an opened ticket
 * (a refused one, say).
 */
export async function openedTicketOf(client: Client, ticketId: string): Promise<ReturnType<typeof openedTicket> | undefined> {
  const history = await client.workflow.getHandle(ticketWorkflowId(ticketId)).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (started?.workflowType?.name !== ticketWorkflow.name) return undefined;
  const input = fromPayloadsAtIndex<OpenTicketInput>(client.options.loadedDataConverter.payloadConverter, 0, started.input?.payloads);
  return openedTicket(input, scheduleOf(input));
}
