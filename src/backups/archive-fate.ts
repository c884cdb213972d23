import { advance, type SubscriptionState } from '../domain/subscription';

/** What the archive does with the backups recorded under one subscription, as of an instant. */
export interface ArchiveFate {
  /** The purge that deleted everything recorded before it (a reinstatement afterwards keeps this instant). */
  deletedAt: number | null;
  /** While lapsed: when the purge falls unless the subscription is reinstated first. */
  deletesAt: number | null;
}

/**
 * 004: "All backup of system configuration(s) may be permanently deleted from our archive" once a
 * subscription lapses; the plan's `configBackupRetentionDays` says how long after the expiry. Read from
 * the subscription's state at `now` through the domain's own `advance`, so the answer flips at the expiry
 * and the purge instants, not when the workflow's timer writes them, and a reinstatement (no purge
 * pending) keeps everything without touching a backup row.
 */
export function archiveFate(state: SubscriptionState, now: number): ArchiveFate {
  const { state: next, effects } = advance(state, now);
  const scheduled = effects.flatMap((e) => (e.type === 'schedule-purge' ? [e.at] : []))[0] ?? state.purgeAt;
  // A purge only this projection applied is dated at its due instant, as the workflow's would be.
  const deletedAt = next.purgedAt === state.purgedAt ? state.purgedAt : (scheduled ?? next.purgedAt);
  const lapsed = next.status === 'lapsed' || next.status === 'cancelled';
  return { deletedAt, deletesAt: lapsed ? next.purgeAt : null };
}

export type BackupStatus = 'kept' | 'deletion_scheduled' | 'deleted';

export function backupStatus(fate: ArchiveFate | undefined, recordedAt: number): { status: BackupStatus; at: number | null } {
  if (fate?.deletedAt != null && recordedAt < fate.deletedAt) return { status: 'deleted', at: fate.deletedAt };
  if (fate?.deletesAt != null) return { status: 'deletion_scheduled', at: fate.deletesAt };
  return { status: 'kept', at: null };
}
