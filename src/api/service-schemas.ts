import { z } from 'zod';
import { SEVERITIES } from '../notifications/admin-event-text';
import { anyText, instant, isoString, nullableIso, resourceId, text } from './schemas';

/** 004's subscription services as the API reads and writes them: admin notifications and config backups. */

const eventId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected 1-128 letters, digits, dots, colons, dashes or underscores');

export const reportAdminEventBody = z
  .strictObject({
    id: eventId
      .optional()
      .describe(
        'The monitoring system’s own id of the event: a report with an id already recorded answers that event (200) and mails nobody again.',
      ),
    systemId: resourceId.optional().describe('The customer’s installed system the event concerns.'),
    severity: z.enum(SEVERITIES).default('warning').describe('info reports an event; warning and critical an issue.'),
    title: text(200),
    detail: anyText(4000).default(''),
    occurredAt: instant.optional().describe('When the monitoring saw it; default: now.'),
  })
  .meta({ id: 'ReportAdminEventRequest' });

export const adminEventSchema = z
  .strictObject({
    id: z.string(),
    customerId: z.string(),
    systemId: z.string().nullable(),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    detail: z.string(),
    occurredAt: isoString,
    recordedAt: isoString,
    notification: z
      .strictObject({
        status: z
          .enum(['sending', 'sent', 'not_sent'])
          .describe('sent once every administrator contact’s mail went out; not_sent says why in `code`.'),
        code: z
          .enum(['feature_not_active', 'no_administrator_contact'])
          .nullable()
          .describe(
            'feature_not_active: no active subscription of the customer includes admin notifications (a lapse ends them at the expiry); no_administrator_contact: no contact is marked administrator.',
          ),
        detail: z.string().nullable(),
        subscriptionId: z.string().nullable().describe('The subscription that granted the notification, or the one that last did.'),
        recipients: z.array(z.strictObject({ email: z.string(), delivery: z.enum(['pending', 'sent']) })),
      })
      .describe('Decided once, when the event was first recorded.'),
  })
  .meta({ id: 'AdminEvent' });

export const adminEventPageSchema = z
  .strictObject({ items: z.array(adminEventSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AdminEventPage' });

export const recordBackupBody = z
  .strictObject({
    systemId: resourceId.describe('The customer’s installed system whose configuration was backed up.'),
    takenAt: instant.describe('When the backup was taken; not ahead of the server’s clock.'),
    location: text(500).describe('Where the archive holds it (a URL, a path or a reference).'),
  })
  .meta({ id: 'RecordConfigBackupRequest' });

export const backupSchema = z
  .strictObject({
    id: z.string(),
    systemId: z.string(),
    takenAt: isoString,
    location: z.string(),
    subscriptionId: z
      .string()
      .describe('The subscription it was recorded under; its lapse and purge decide how long the archive keeps it.'),
    recordedAt: isoString,
    status: z
      .enum(['kept', 'deletion_scheduled', 'deleted'])
      .describe(
        'deletion_scheduled while that subscription is lapsed (a reinstatement before `deletesAt` keeps it); deleted after the purge.',
      ),
    deletesAt: nullableIso,
    deletedAt: nullableIso,
  })
  .meta({ id: 'ConfigBackup' });

export const backupOverviewSchema = z
  .strictObject({
    customerId: z.string(),
    service: z.strictObject({
      active: z.boolean().describe('Whether an active subscription of the customer includes config backups now.'),
      subscriptionId: z.string().nullable(),
      code: z.enum(['feature_not_active']).nullable(),
      detail: z.string().nullable(),
    }),
    systems: z.array(
      z.strictObject({
        systemId: z.string(),
        endOfLife: z.boolean(),
        lastTakenAt: nullableIso.describe('The latest backup still kept.'),
        nextDueAt: nullableIso.describe(
          'A year after the last backup kept, or the start of the coverage when none is; null when none is owed.',
        ),
        overdue: z.boolean(),
        code: z.enum(['end_of_life_product', 'feature_not_active']).nullable().describe('Why no backup is owed.'),
      }),
    ),
    items: z.array(backupSchema).describe('Newest first.'),
    asOf: isoString,
  })
  .meta({ id: 'ConfigBackupOverview' });
