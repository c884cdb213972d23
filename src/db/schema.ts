import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Read model of a ticket, written only by ticket-workflow activities; the API serves it. */
export const tickets = pgTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    customerId: text('customer_id').notNull(),
    resellerId: text('reseller_id'),
    policyId: text('policy_id').notNull(),
    policyVersion: integer('policy_version').notNull(),
    priority: text('priority').notNull(),
    status: text('status').notNull(),
    slaState: text('sla_state').notNull().default('ok'),
    subject: text('subject').notNull(),
    description: text('description').notNull().default(''),
    fields: jsonb('fields').$type<Record<string, string>>().notNull().default({}),
    requesterEmail: text('requester_email').notNull(),
    channel: text('channel').notNull().default('email'),
    /** Which contract, subscription or paid path covered the ticket at its opening (issue 13, item 3). */
    coveredBy: jsonb('covered_by').$type<{ kind: 'contract' | 'subscription' | 'warranty' | 'paid'; id?: string }>(),
    assignee: text('assignee'),
    parentTicketId: text('parent_ticket_id'),
    deadlines: jsonb('deadlines').$type<Record<string, string | null>>().notNull().default({}),
    openedAt: ts('opened_at').notNull(),
    firstRespondedAt: ts('first_responded_at'),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    updatedAt: ts('updated_at').notNull(),
    /** Monotonic per-ticket sequence from the workflow, so a late retry never overwrites newer state. */
    version: integer('version').notNull().default(0),
  },
  (t) => [index('tickets_customer_idx').on(t.customerId, t.openedAt), index('tickets_status_idx').on(t.status)],
);

/** Append-only journal: state changes, deadlines, warnings, breaches. (ticket, key) makes retries no-ops. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: serial('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    eventKey: text('event_key').notNull(),
    kind: text('kind').notNull(),
    at: ts('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    recordedAt: ts('recorded_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [uniqueIndex('ticket_events_key_uq').on(t.ticketId, t.eventKey), index('ticket_events_kind_idx').on(t.kind, t.at)],
);

/** Every outgoing email, keyed by the event that caused it, so a retried activity never sends twice. */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    dedupeKey: text('dedupe_key').primaryKey(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    messageId: text('message_id').notNull(),
    createdAt: ts('created_at')
      .notNull()
      .default(sql`now()`),
    sentAt: ts('sent_at'),
  },
  (t) => [index('email_outbox_status_idx').on(t.status)],
);

/** Versioned support policies; a ticket pins (id, version). */
export const policies = pgTable(
  'policies',
  {
    id: text('id').notNull(),
    version: integer('version').notNull(),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.id, t.version] })],
);

export const calendars = pgTable('calendars', {
  id: text('id').primaryKey(),
  spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at')
    .notNull()
    .default(sql`now()`),
});

/**
 * Entitlement periods the ticket side reads at opening: one row per covered stretch at one tier,
 * written by the subscription workflow from its term and tier history (replaced as a set on change).
 */
export const entitlements = pgTable(
  'entitlements',
  {
    customerId: text('customer_id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    tier: text('tier').notNull(),
    policyId: text('policy_id'),
    planId: text('plan_id').notNull(),
    calendarId: text('calendar_id').notNull(),
    responseTargetMs: bigint('response_target_ms', { mode: 'number' }).notNull(),
    validFrom: ts('valid_from').notNull(),
    validTo: ts('valid_to').notNull(),
    phoneIncidentCap: integer('phone_incident_cap'),
  },
  (t) => [primaryKey({ columns: [t.subscriptionId, t.validFrom] }), index('entitlements_customer_idx').on(t.customerId, t.validFrom)],
);

/** Read model of a subscription (the workflow's state as JSON plus the columns the API filters on). */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    planId: text('plan_id').notNull(),
    tier: text('tier').notNull(),
    status: text('status').notNull(),
    termStart: ts('term_start').notNull(),
    termEnd: ts('term_end').notNull(),
    seats: integer('seats').notNull(),
    billingCycle: text('billing_cycle').notNull(),
    contactEmail: text('contact_email'),
    state: jsonb('state').$type<Record<string, unknown>>().notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** Monotonic across workflow runs, so a late retry never overwrites a newer snapshot. */
    version: integer('version').notNull().default(0),
  },
  (t) => [index('subscriptions_customer_idx').on(t.customerId, t.status)],
);

/** One row per invoice line; key is `${invoiceKey}#${line}`, so a retried activity inserts nothing. */
export const charges = pgTable(
  'charges',
  {
    key: text('key').primaryKey(),
    invoiceKey: text('invoice_key'),
    subscriptionId: text('subscription_id').notNull(),
    customerId: text('customer_id').notNull(),
    kind: text('kind').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    description: text('description').notNull(),
    periodStart: ts('period_start'),
    periodEnd: ts('period_end'),
    quantity: integer('quantity'),
    at: ts('at').notNull(),
  },
  (t) => [index('charges_subscription_idx').on(t.subscriptionId, t.at)],
);

/** The invoice an operation produced, with when each part is due; keyed by the domain's invoice key. */
export const invoices = pgTable('invoices', {
  key: text('key').primaryKey(),
  subscriptionId: text('subscription_id').notNull(),
  customerId: text('customer_id').notNull(),
  currency: text('currency').notNull(),
  totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
  instalments: jsonb('instalments').$type<Array<{ dueAt: string; amountMinor: number }>>().notNull(),
  issuedAt: ts('issued_at').notNull(),
});

/** Journal of timers fired and non-billing effects (features off/on, purges); (subscription, key) is unique. */
export const subscriptionEvents = pgTable(
  'subscription_events',
  {
    id: serial('id').primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    eventKey: text('event_key').notNull(),
    kind: text('kind').notNull(),
    at: ts('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    recordedAt: ts('recorded_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    uniqueIndex('subscription_events_key_uq').on(t.subscriptionId, t.eventKey),
    index('subscription_events_kind_idx').on(t.kind, t.at),
  ],
);

export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  hash: text('hash').notNull().unique(),
  role: text('role').notNull(),
  tenantId: text('tenant_id'),
  label: text('label').notNull().default(''),
  revoked: boolean('revoked').notNull().default(false),
  createdAt: ts('created_at')
    .notNull()
    .default(sql`now()`),
});

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    keyId: text('key_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    response: jsonb('response'),
    createdAt: ts('created_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.idempotencyKey] })],
);

/**
 * Who may open tickets and what they bought (src/accounts). Contracts and systems are small lists read
 * and written with their customer, so they are JSON on the row rather than tables of their own.
 */
export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    vendorId: text('vendor_id').notNull(),
    resellerId: text('reseller_id'),
    contacts: jsonb('contacts').$type<Array<{ name?: string; email: string }>>().notNull().default([]),
    domains: jsonb('domains').$type<string[]>().notNull().default([]),
    contracts: jsonb('contracts').$type<Array<Record<string, unknown>>>().notNull().default([]),
    systems: jsonb('systems').$type<Array<Record<string, unknown>>>().notNull().default([]),
    createdAt: ts('created_at')
      .notNull()
      .default(sql`now()`),
    updatedAt: ts('updated_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index('customers_reseller_idx').on(t.resellerId, t.id)],
);

export const resellers = pgTable('resellers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  vendorId: text('vendor_id').notNull(),
  contacts: jsonb('contacts').$type<Array<{ name?: string; email: string }>>().notNull().default([]),
  createdAt: ts('created_at')
    .notNull()
    .default(sql`now()`),
  updatedAt: ts('updated_at')
    .notNull()
    .default(sql`now()`),
});
