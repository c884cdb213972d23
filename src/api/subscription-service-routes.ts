import type { Client } from '@temporalio/client';
import type { AccountStore } from '../accounts/account-store';
import { backupOverview, recordBackup } from '../backups/config-backups';
import { BadCursor, customerOwner } from '../billing/billing-store';
import type { Db } from '../db/client';
import { randomId } from '../infra/random-id';
import { listAdminEvents } from '../notifications/admin-event-store';
import { reportAdminEvent } from '../notifications/report-admin-event';
import { pageQuery } from './billing-schemas';
import { derivedId } from './idempotency';
import { Problem } from './problem';
import type { Api } from './route';
import { idParam } from './schemas';
import {
  adminEventPageSchema,
  adminEventSchema,
  backupOverviewSchema,
  backupSchema,
  recordBackupBody,
  reportAdminEventBody,
} from './service-schemas';

export interface SubscriptionServiceDeps {
  client: Client;
  db: Db;
  accounts: AccountStore;
  taskQueue?: string;
  now?: () => number;
}

const READERS = ['customer', 'reseller', 'staff', 'admin'] as const;
const STAFF = ['staff', 'admin'] as const;
const DEFAULT_PAGE = 50;
/** Clocks disagree a little; a backup stamped further ahead than this was not taken yet. */
const CLOCK_SKEW_MS = 60_000;

/**
 * 004's subscription services: "Receive email notifications of system administration issues or events"
 * and "an annual config backup". Staff (or the vendor's monitoring, on a staff key) report and record;
 * the customer and its reseller read.
 */
export function subscriptionServiceRoutes(api: Api, deps: SubscriptionServiceDeps): void {
  const now = deps.now ?? Date.now;
  const owner = ({ id }: { id: string }) => customerOwner(deps.db, id);

  api.route({
    method: 'post',
    path: '/v1/customers/:id/admin-events',
    tag: 'Subscription services',
    summary: 'Report a system administration event',
    description:
      'Records an issue or event of the customer’s system and, while an active subscription of the customer includes `admin-notifications`, mails it once to every contact marked `administrator`. A lapsed customer’s event is still recorded (201) with `notification.status` `not_sent` and `code` `feature_not_active`, so a monitoring integration need not treat it as a failed delivery. Idempotent by `id` (or the Idempotency-Key): a report of an event already recorded answers it (200) and mails nobody again.',
    roles: STAFF,
    params: idParam,
    owner,
    body: reportAdminEventBody,
    responses: {
      200: { description: 'The event was recorded before; nothing new was mailed.', schema: adminEventSchema },
      201: { description: 'Recorded; `notification` says whether and to whom it is mailed.', schema: adminEventSchema },
    },
    async handler({ params: { id }, body, principal, idempotency, annotate }) {
      const eventId = body.id ?? (idempotency ? derivedId('E-', idempotency, id) : randomId('E-'));
      annotate({ customerId: id, eventId });
      const { created, event } = await reportAdminEvent(
        deps,
        {
          customerId: id,
          id: eventId,
          ...(body.systemId ? { systemId: body.systemId } : {}),
          severity: body.severity,
          title: body.title,
          detail: body.detail,
          ...(body.occurredAt ? { occurredAt: Date.parse(body.occurredAt) } : {}),
          reportedBy: principal.keyId,
        },
        now(),
      );
      return { status: created ? 201 : 200, body: event };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/customers/:id/admin-events',
    tag: 'Subscription services',
    summary: 'List a customer’s system administration events',
    description: 'Newest first, mailed or not, each with whom it was mailed to and whether the mail went out.',
    roles: READERS,
    params: idParam,
    query: pageQuery,
    owner,
    responses: { 200: { description: 'One page of events.', schema: adminEventPageSchema } },
    async handler({ params: { id }, query }) {
      try {
        return { status: 200, body: await listAdminEvents(deps.db, id, { ...query, limit: query.limit ?? DEFAULT_PAGE }) };
      } catch (err) {
        if (!(err instanceof BadCursor)) throw err;
        throw new Problem(422, 'validation_failed', 'The request query is invalid.', [
          { path: 'query.cursor', message: 'not a cursor from a previous page' },
        ]);
      }
    },
  });

  api.route({
    method: 'post',
    path: '/v1/customers/:id/config-backups',
    tag: 'Subscription services',
    summary: 'Record a configuration backup',
    description:
      'Where the annual backup of one of the customer’s systems is archived. Refused for an end-of-life product (409 `end_of_life_product`: “Except EOL products”) and for a customer without an active subscription that includes `config-backup` (409 `feature_not_active`). The same system and `takenAt` again answers the recorded backup (200).',
    roles: STAFF,
    params: idParam,
    owner,
    body: recordBackupBody,
    responses: {
      200: { description: 'Recorded before.', schema: backupSchema },
      201: { description: 'Recorded.', schema: backupSchema },
    },
    async handler({ params: { id }, body, principal, idempotency, annotate }) {
      const at = now();
      const takenAt = Date.parse(body.takenAt);
      if (takenAt > at + CLOCK_SKEW_MS) {
        throw new Problem(422, 'time_in_future', 'A backup is recorded once taken: `takenAt` must not lie in the future.', [
          { path: 'body.takenAt', message: 'lies ahead of the server’s clock' },
        ]);
      }
      const backupId = idempotency ? derivedId('CB-', idempotency, id) : randomId('CB-');
      annotate({ customerId: id, backupId });
      const { created, backup } = await recordBackup(
        deps,
        { id: backupId, customerId: id, systemId: body.systemId, takenAt, location: body.location, recordedBy: principal.keyId },
        at,
      );
      if (!created && backup.location !== body.location) {
        throw new Problem(
          409,
          'already_exists',
          `A backup of system ${body.systemId} taken at ${backup.takenAt} is already recorded, at another location (${backup.id}).`,
        );
      }
      return { status: created ? 201 : 200, body: backup };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/customers/:id/config-backups',
    tag: 'Subscription services',
    summary: 'List a customer’s configuration backups',
    description:
      'Every backup with what the archive does with it: kept, `deletion_scheduled` at `deletesAt` once the subscription it was recorded under lapsed (the plan’s `configBackupRetentionDays` after the expiry; a reinstatement before then keeps it), or `deleted`. Per system, when the next annual backup is due.',
    roles: READERS,
    params: idParam,
    owner,
    responses: { 200: { description: 'The backups and what is due.', schema: backupOverviewSchema } },
    async handler({ params: { id } }) {
      return { status: 200, body: await backupOverview(deps, id, now()) };
    },
  });
}
