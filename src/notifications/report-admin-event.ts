import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { AccountStore } from '../accounts/account-store';
import { customerGrant } from '../billing/feature-grant';
import type { Db } from '../db/client';
import type { Customer } from '../domain/accounts/index';
import { DomainError } from '../domain/errors';
import { humanInstant } from '../domain/subscription/zoned-time';
import { randomId } from '../infra/random-id';
import { CustomerIdKey } from '../../workflows/search-attributes';
import { adminEventWorkflow } from '../../workflows/notifications/admin-event-workflow';
import { adminEventWorkflowId, NOTIFICATION_TASK_QUEUE, type AdminEventInput } from '../../workflows/notifications/contract';
import { adminEventMail, adminEventText, type Severity } from './admin-event-text';
import { adminEvent, adminEventMailKey, insertAdminEvent, presentAdminEvents, type AdminEventRow } from './admin-event-store';

export interface AdminEventDeps {
  db: Db;
  client: Client;
  accounts: AccountStore;
  taskQueue?: string;
}

export interface AdminEventReport {
  customerId: string;
  /** The monitoring's own id of the event; absent: a new id (derived from an Idempotency-Key when one came). */
  id?: string;
  systemId?: string;
  severity: Severity;
  title: string;
  detail: string;
  occurredAt?: number;
  reportedBy: string;
}

/** The feature a plan lists for it (src/domain/subscription/plan-catalog.ts). */
export const ADMIN_NOTIFICATIONS = 'admin-notifications';

function systemOf(customer: Customer, systemId: string | undefined) {
  if (systemId === undefined) return undefined;
  const system = customer.systems.find((s) => s.id === systemId);
  if (!system) {
    throw new DomainError('unknown_system', `Customer ${customer.id} has no system "${systemId}".`, [
      { path: 'body.systemId', message: 'not a system of the customer' },
    ]);
  }
  return system;
}

/** Administrator contacts, each address once (a mail per address per event). */
const administrators = (customer: Customer) => [
  ...new Set(customer.contacts.filter((c) => c.administrator).map((c) => c.email.toLowerCase())),
];

/**
 * Records a reported event and, while the customer's plan includes admin notifications, mails its
 * administrator contacts. Whether it mails is decided once, when the event is first recorded: a resent
 * report (same id) answers the stored event and mails nobody again. A lapsed customer's event is still
 * kept (staff see what the customer missed), with the reason no mail went out.
 */
export async function reportAdminEvent(deps: AdminEventDeps, report: AdminEventReport, now: number) {
  const customer = await deps.accounts.customer(report.customerId);
  if (!customer) throw new DomainError('unknown_customer', `No customer ${report.customerId} on record.`);
  const system = systemOf(customer, report.systemId);
  const id = report.id ?? randomId('E-');
  const grant = await customerGrant(deps.db, customer, ADMIN_NOTIFICATIONS, 'system administration notifications', now);
  const recipients = grant.active ? administrators(customer) : [];
  const notify = !grant.active
    ? { notifyStatus: 'not_sent', notifyCode: grant.code, notifyDetail: grant.detail, subscriptionId: grant.lastSubscriptionId }
    : recipients.length === 0
      ? {
          notifyStatus: 'not_sent',
          notifyCode: 'no_administrator_contact',
          notifyDetail: `Customer ${customer.id} has no contact marked administrator; mark one with PATCH /v1/customers/${customer.id}.`,
          subscriptionId: grant.subscriptionId,
        }
      : { notifyStatus: 'queued', notifyCode: null, notifyDetail: null, subscriptionId: grant.subscriptionId };
  const occurredAt = report.occurredAt ?? now;
  const row = await deps.db.transaction(async (tx) => {
    const inserted = await insertAdminEvent(tx, {
      customerId: customer.id,
      id,
      systemId: system?.id ?? null,
      severity: report.severity,
      title: report.title,
      detail: report.detail,
      occurredAt: new Date(occurredAt),
      reportedBy: report.reportedBy,
      recipients,
      recordedAt: new Date(now),
      ...notify,
    });
    // Started inside the transaction: a start Temporal refuses leaves no event behind that no mail follows.
    if (inserted?.notifyStatus === 'queued') await startMails(deps, customer, inserted);
    return inserted;
  });
  if (row) return { created: true, event: (await presentAdminEvents(deps.db, [row]))[0]! };
  const stored = await adminEvent(deps.db, customer.id, id);
  if (!stored) throw new Error(`admin event ${customer.id}/${id} vanished`);
  // A commit lost after the start, or a start lost after the commit: starting again finds the run or its mails sent.
  if (stored.notifyStatus === 'queued') await startMails(deps, customer, stored);
  return { created: false, event: (await presentAdminEvents(deps.db, [stored]))[0]! };
}

async function startMails(deps: AdminEventDeps, customer: Customer, row: AdminEventRow): Promise<void> {
  const severity = row.severity as Severity;
  const system = customer.systems.find((s) => s.id === row.systemId);
  const values = {
    customerName: customer.name,
    severity: adminEventText.severity[severity],
    kind: adminEventText.kind[severity],
    system: system ? `${system.product ?? system.type} ${system.id}` : adminEventText.anySystem,
    occurredAt: humanInstant(row.occurredAt.getTime(), customer.timeZone),
    title: row.title,
    detail: row.detail,
    eventId: row.id,
  };
  const input: AdminEventInput = {
    customerId: customer.id,
    eventId: row.id,
    mails: row.recipients.map((to) => ({ dedupeKey: adminEventMailKey(customer.id, row.id, to), to, ...adminEventMail(values) })),
  };
  try {
    await deps.client.workflow.start(adminEventWorkflow, {
      workflowId: adminEventWorkflowId(customer.id, row.id),
      taskQueue: deps.taskQueue ?? NOTIFICATION_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Admin ${values.kind} for ${customer.id}: ${row.title.slice(0, 80)}`,
      typedSearchAttributes: [{ key: CustomerIdKey, value: customer.id }],
    });
  } catch (err) {
    // Its run finished: every mail of the event went out already.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
