import { describe, expect, it } from 'vitest';
import { archiveFate, backupStatus } from '../../../src/backups/archive-fate.js';
import { purge, lapse, reinstate } from '../../../src/domain/subscription/index.js';
import { ok, perUser, t } from '../subscription/fixtures.js';

/** 004: "All backup of system configuration(s) may be permanently deleted from our archive" after a lapse. */
describe('archiveFate (what a lapse does to the backups recorded under a subscription)', () => {
  const recorded = t('2026-06-01T09:00');

  it('keeps them while the term runs, schedules the purge from the expiry instant, before the workflow lapses it', () => {
    const state = perUser();
    expect(backupStatus(archiveFate(state, state.termEnd - 1), recorded)).toEqual({ status: 'kept', at: null });
    // 90 days of retention (the plan's configBackupRetentionDays), read from the state at the expiry itself.
    const purgeAt = t('2027-05-30T09:00');
    expect(backupStatus(archiveFate(state, state.termEnd), recorded)).toEqual({ status: 'deletion_scheduled', at: purgeAt });
    const lapsed = ok(lapse(state, state.termEnd)).state;
    expect(backupStatus(archiveFate(lapsed, state.termEnd + 1), recorded)).toEqual({ status: 'deletion_scheduled', at: purgeAt });
    // Past the purge instant it reads deleted, dated at the purge, whether or not the workflow's timer landed.
    expect(backupStatus(archiveFate(lapsed, purgeAt + 5_000), recorded)).toEqual({ status: 'deleted', at: purgeAt });
    expect(backupStatus(archiveFate(state, purgeAt + 5_000), recorded)).toEqual({ status: 'deleted', at: purgeAt });
  });

  it('keeps them when reinstated before the purge; a reinstatement after it does not bring them back', () => {
    const state = perUser();
    const lapsed = ok(lapse(state, state.termEnd)).state;
    const back = ok(reinstate(lapsed, state.termEnd + 10 * 86_400_000)).state;
    expect(backupStatus(archiveFate(back, state.termEnd + 200 * 86_400_000), recorded)).toEqual({ status: 'kept', at: null });

    const purgedAt = t('2027-05-30T09:00');
    const purged = ok(purge(lapsed, purgedAt)).state;
    const late = ok(reinstate(purged, purgedAt + 86_400_000)).state;
    const fate = archiveFate(late, purgedAt + 2 * 86_400_000);
    expect(backupStatus(fate, recorded)).toEqual({ status: 'deleted', at: purgedAt });
    // A backup recorded after the reinstatement starts the new archive.
    expect(backupStatus(fate, purgedAt + 2 * 86_400_000)).toEqual({ status: 'kept', at: null });
  });
});
