import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** PostgreSQL bytea as a Node Buffer (drizzle's pg-core has no bytea column of its own). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

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

/**
 * One row per invoice line; key is `${invoiceKey}#${line}`, so a retried activity inserts nothing.
 * A line belongs to a subscription or to a ticket (000's emergency ticket, 004's hourly work); a
 * refund is a negative line whose `refersTo` is the key of the line it gives back.
 */
export const charges = pgTable(
  'charges',
  {
    key: text('key').primaryKey(),
    invoiceKey: text('invoice_key'),
    subscriptionId: text('subscription_id'),
    ticketId: text('ticket_id'),
    customerId: text('customer_id').notNull(),
    kind: text('kind').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    description: text('description').notNull(),
    periodStart: ts('period_start'),
    periodEnd: ts('period_end'),
    quantity: integer('quantity'),
    /** The payment provider's id the caller supplied with a purchase; never card data. */
    paymentReference: text('payment_reference'),
    refersTo: text('refers_to'),
    /** Catalog version whose price this line used. */
    catalogVersion: integer('catalog_version'),
    at: ts('at').notNull(),
  },
  (t) => [
    index('charges_subscription_idx').on(t.subscriptionId, t.at),
    index('charges_customer_idx').on(t.customerId, t.at),
    index('charges_ticket_idx').on(t.ticketId),
  ],
);

/** The invoice an operation produced, with when each part is due; keyed by the domain's invoice key. */
export const invoices = pgTable(
  'invoices',
  {
    key: text('key').primaryKey(),
    subscriptionId: text('subscription_id'),
    ticketId: text('ticket_id'),
    customerId: text('customer_id').notNull(),
    currency: text('currency').notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    instalments: jsonb('instalments').$type<Array<{ dueAt: string; amountMinor: number }>>().notNull(),
    /** 002: "proceed once the Reseller and/or End User provides an approved purchase order". */
    purchaseOrder: text('purchase_order'),
    issuedAt: ts('issued_at').notNull(),
  },
  (t) => [index('invoices_customer_idx').on(t.customerId, t.issuedAt), index('invoices_subscription_idx').on(t.subscriptionId)],
);

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
    contacts: jsonb('contacts').$type<Array<{ name?: string; email: string; administrator?: boolean }>>().notNull().default([]),
    domains: jsonb('domains').$type<string[]>().notNull().default([]),
    contracts: jsonb('contracts').$type<Array<Record<string, unknown>>>().notNull().default([]),
    systems: jsonb('systems').$type<Array<Record<string, unknown>>>().notNull().default([]),
    /** 004's phones, extensions and app users, from which its per-user seats are counted. */
    devices: jsonb('devices').$type<Array<Record<string, unknown>>>().notNull().default([]),
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

/**
 * The vendor's catalog (plans, per-ticket products, hourly rates, hardware, vendor advice) as whole
 * documents, one row per version: a sale pins the version it was priced on (issue 14, item 1).
 */
export const catalogVersions = pgTable('catalog_versions', {
  version: integer('version').primaryKey(),
  document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  note: text('note').notNull().default(''),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at')
    .notNull()
    .default(sql`now()`),
});

/** Staff time on a ticket (004 "must pay hourly"); a billed entry names the invoice that charged it. */
export const ticketTimeEntries = pgTable(
  'ticket_time_entries',
  {
    id: serial('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    customerId: text('customer_id').notNull(),
    minutes: integer('minutes').notNull(),
    note: text('note').notNull().default(''),
    author: text('author').notNull(),
    at: ts('at').notNull(),
    billedInvoiceKey: text('billed_invoice_key'),
  },
  (t) => [index('ticket_time_ticket_idx').on(t.ticketId, t.at)],
);

/**
 * What an uncovered customer must buy before service proceeds (002's expired contract): the lines,
 * the ticket request waiting on it, and the purchase order that accepted it.
 */
export const quotes = pgTable(
  'quotes',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    resellerId: text('reseller_id'),
    status: text('status').notNull(),
    currency: text('currency').notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    lines: jsonb('lines').$type<Array<Record<string, unknown>>>().notNull(),
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    catalogVersion: integer('catalog_version').notNull(),
    purchaseOrder: text('purchase_order'),
    ticketId: text('ticket_id'),
    createdAt: ts('created_at').notNull(),
    acceptedAt: ts('accepted_at'),
  },
  (t) => [index('quotes_customer_idx').on(t.customerId, t.createdAt)],
);

/**
 * Every message of a ticket (issue 15): the request, replies both ways, internal notes, system mail. Written
 * in the transaction of the event that caused it; (ticket, key) makes a retried write a no-op, and the
 * Message-ID is derived from the key, so the mail that carries a message is threaded by it.
 */
export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: serial('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    messageKey: text('message_key').notNull(),
    eventKey: text('event_key'),
    kind: text('kind').notNull(),
    authorKind: text('author_kind').notNull(),
    authorName: text('author_name'),
    authorEmail: text('author_email'),
    visibility: text('visibility').notNull(),
    channel: text('channel').notNull(),
    toAddress: text('to_address'),
    subject: text('subject'),
    body: text('body').notNull(),
    html: text('html'),
    attachments: jsonb('attachments')
      .$type<Array<{ name: string; contentType: string; size: number; url?: string }>>()
      .notNull()
      .default([]),
    messageId: text('message_id').notNull(),
    at: ts('at').notNull(),
    recordedAt: ts('recorded_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [uniqueIndex('ticket_messages_key_uq').on(t.ticketId, t.messageKey), index('ticket_messages_ticket_idx').on(t.ticketId, t.at)],
);

/**
 * Files that came with a customer's mail (001: "log files, screenshots"), linked to the message by its
 * Message-ID. bytea rather than large objects: a file is written in the row's transaction, is backed up,
 * replicated and deleted with it, and the size limit keeps rows far below bytea's 1 GB.
 */
export const ticketAttachments = pgTable(
  'ticket_attachments',
  {
    id: serial('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    messageId: text('message_id').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    createdAt: ts('created_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    uniqueIndex('ticket_attachments_uq').on(t.ticketId, t.messageId, t.sha256, t.name),
    index('ticket_attachments_ticket_idx').on(t.ticketId),
  ],
);

/**
 * 004: "Receive email notifications of system administration issues or events": what a vendor's monitoring
 * (or staff) reported for a customer's system, kept whether or not it was mailed. (customer, id) names one
 * event for good, so a resent report is the same event and mails nobody again.
 */
export const adminEvents = pgTable(
  'admin_events',
  {
    customerId: text('customer_id').notNull(),
    id: text('id').notNull(),
    systemId: text('system_id'),
    severity: text('severity').notNull(),
    title: text('title').notNull(),
    detail: text('detail').notNull().default(''),
    occurredAt: ts('occurred_at').notNull(),
    reportedBy: text('reported_by').notNull(),
    /** `queued` (mailed to `recipients`) or `not_sent` with `notifyCode` saying why, decided once at the report. */
    notifyStatus: text('notify_status').notNull(),
    notifyCode: text('notify_code'),
    notifyDetail: text('notify_detail'),
    recipients: jsonb('recipients').$type<string[]>().notNull().default([]),
    /** The subscription whose plan granted the notification. */
    subscriptionId: text('subscription_id'),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.id] }), index('admin_events_customer_idx').on(t.customerId, t.recordedAt)],
);

/**
 * 004: "an annual config backup may help a replacement device get up and running faster": where each backup
 * of a customer's system is archived. Whether it is still kept is not stored but read from the subscription
 * it was recorded under ("may be permanently deleted" after a lapse), so a reinstatement needs no write here.
 */
export const configBackups = pgTable(
  'config_backups',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    systemId: text('system_id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    takenAt: ts('taken_at').notNull(),
    location: text('location').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [uniqueIndex('config_backups_taken_uq').on(t.customerId, t.systemId, t.takenAt)],
);
