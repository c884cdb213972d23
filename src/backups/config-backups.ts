import type { AccountStore } from '../accounts/account-store';
import { customerSubscriptionStates } from '../billing/billing-store';
import { grantOf } from '../billing/feature-grant';
import type { Db } from '../db/client';
import type { Customer } from '../domain/accounts/index';
import { DomainError } from '../domain/errors';
import { addYears } from '../domain/subscription/zoned-time';
import { archiveFate, backupStatus } from './archive-fate';
import { customerBackups, insertBackup, type BackupRow } from './backup-store';

export interface BackupDeps {
  db: Db;
  accounts: AccountStore;
}

/** The feature a plan lists for it (src/domain/subscription/plan-catalog.ts). */
export const CONFIG_BACKUP = 'config-backup';
const WHAT = 'annual configuration backups';
/** 004: "an annual config backup": the next one is due a year after the last one kept. */
const INTERVAL_YEARS = 1;

export interface BackupRecord {
  id: string;
  customerId: string;
  systemId: string;
  takenAt: number;
  location: string;
  recordedBy: string;
}

async function customerOf(deps: BackupDeps, id: string): Promise<Customer> {
  const customer = await deps.accounts.customer(id);
  if (!customer) throw new DomainError('unknown_customer', `No customer ${id} on record.`);
  return customer;
}

/**
 * Records where a backup of a customer's system is archived. Refused for a system whose product is EOL
 * ("*Except EOL products.") and for a customer whose subscription does not include backups right now
 * (lapsed: "subscription-based features or services … terminated on the expiration date"). The backup is
 * tied to the subscription that granted it, whose lapse and purge decide how long the archive keeps it.
 */
export async function recordBackup(deps: BackupDeps, record: BackupRecord, now: number) {
  const customer = await customerOf(deps, record.customerId);
  const system = customer.systems.find((s) => s.id === record.systemId);
  if (!system) {
    throw new DomainError('unknown_system', `Customer ${customer.id} has no system "${record.systemId}".`, [
      { path: 'body.systemId', message: 'not a system of the customer' },
    ]);
  }
  if (system.endOfLife) {
    throw new DomainError(
      'end_of_life_product',
      `System ${system.id} (${system.product ?? system.type}) is an end-of-life product; its configuration is not backed up.`,
      [{ path: 'body.systemId', message: 'end-of-life product' }],
    );
  }
  const states = await customerSubscriptionStates(deps.db, customer.id);
  const grant = grantOf(states, CONFIG_BACKUP, WHAT, customer, now);
  if (!grant.active) throw new DomainError(grant.code, grant.detail);
  const { row, created } = await insertBackup(deps.db, {
    id: record.id,
    customerId: customer.id,
    systemId: system.id,
    subscriptionId: grant.subscriptionId,
    takenAt: new Date(record.takenAt),
    location: record.location,
    recordedBy: record.recordedBy,
    recordedAt: new Date(now),
  });
  const under = states.find((s) => s.id === row.subscriptionId);
  return { created, row, backup: presentBackup(row, under && archiveFate(under, now)) };
}

function presentBackup(row: BackupRow, fate: ReturnType<typeof archiveFate> | undefined) {
  const { status, at } = backupStatus(fate, row.recordedAt.getTime());
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    systemId: row.systemId,
    takenAt: row.takenAt.toISOString(),
    location: row.location,
    subscriptionId: row.subscriptionId,
    recordedAt: row.recordedAt.toISOString(),
    status,
    deletesAt: status === 'deletion_scheduled' ? iso(at) : null,
    deletedAt: status === 'deleted' ? iso(at) : null,
  };
}

/**
 * A customer's backups with what the archive does with each (kept, deletion scheduled at the purge, or
 * deleted), and per system when the next annual backup is due: a year after the last one kept, or from
 * the start of the coverage when none is. EOL systems and customers without the service owe none.
 */
export async function backupOverview(deps: BackupDeps, customerId: string, now: number) {
  const customer = await customerOf(deps, customerId);
  const [states, rows] = await Promise.all([customerSubscriptionStates(deps.db, customer.id), customerBackups(deps.db, customer.id)]);
  const grant = grantOf(states, CONFIG_BACKUP, WHAT, customer, now);
  const fates = new Map(states.map((s) => [s.id, archiveFate(s, now)]));
  const items = rows.map((r) => presentBackup(r, fates.get(r.subscriptionId)));
  const systems = customer.systems.map((s) => {
    const kept = rows.filter((r, i) => r.systemId === s.id && items[i]!.status !== 'deleted');
    const last = kept.length ? Math.max(...kept.map((r) => r.takenAt.getTime())) : null;
    const base = { systemId: s.id, endOfLife: s.endOfLife === true, lastTakenAt: last === null ? null : new Date(last).toISOString() };
    const code = s.endOfLife ? 'end_of_life_product' : grant.active ? null : grant.code;
    if (code !== null || !grant.active) return { ...base, nextDueAt: null, overdue: false, code };
    const due = last === null ? grant.since : addYears(last, INTERVAL_YEARS, customer.timeZone);
    return { ...base, nextDueAt: new Date(due).toISOString(), overdue: now >= due, code: null };
  });
  return {
    customerId: customer.id,
    service: grant.active
      ? { active: true, subscriptionId: grant.subscriptionId, code: null, detail: null }
      : { active: false, subscriptionId: grant.lastSubscriptionId, code: grant.code, detail: grant.detail },
    systems,
    items,
    asOf: new Date(now).toISOString(),
  };
}
