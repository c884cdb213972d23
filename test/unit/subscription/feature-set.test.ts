import { describe, expect, it } from 'vitest';
import { featureSet, lapse, reinstate, renew } from '../../../src/domain/subscription/index.js';
import { ok, perUser, standard, t } from './fixtures.js';

const enabled = (fs: ReturnType<typeof featureSet>) => fs.filter((f) => f.enabled).map((f) => f.feature);

describe('featureSet (004: what a lapse switches off)', () => {
  it('is on from the start while the term runs and off from the expiry instant', () => {
    const state = perUser();
    const during = featureSet([state], state.termEnd - 1);
    expect(enabled(during)).toEqual([
      'add-extensions',
      'admin-notifications',
      'config-backup',
      'integrations',
      'off-site-phones',
      'remote-portal',
      'softphone-app',
      'software-updates',
    ]);
    expect(during[0]).toMatchObject({ since: state.originalStart, grantedBy: [{ subscriptionId: state.id, until: state.termEnd }] });
    // The workflow has not lapsed it yet, but support ended at the expiry: the set already reads off.
    expect(featureSet([state], state.termEnd).every((f) => !f.enabled && f.since === state.termEnd)).toBe(true);
    const lapsed = ok(lapse(state, state.termEnd)).state;
    expect(featureSet([lapsed], state.termEnd + 1)[0]).toMatchObject({ enabled: false, since: state.termEnd, lastGrantedBy: state.id });
  });

  it('stays on across a renewal (since the first start) and restarts at a reinstatement', () => {
    const state = perUser();
    const renewed = ok(renew(state, state.termEnd - 86_400_000)).state;
    expect(featureSet([renewed], state.termEnd + 1)[0]).toMatchObject({
      enabled: true,
      since: state.originalStart,
      grantedBy: [{ until: renewed.termEnd }],
    });
    const lapsed = ok(lapse(state, state.termEnd)).state;
    const at = state.termEnd + 10 * 86_400_000;
    const back = ok(reinstate(lapsed, at)).state;
    expect(featureSet([back], at + 1)[0]).toMatchObject({ enabled: true, since: at });
  });

  it('is not on before the start, and is on while any subscription grants it', () => {
    const later = perUser({ startAt: t('2030-01-01T09:00') });
    expect(enabled(featureSet([later], t('2029-06-01T09:00')))).toEqual([]);
    const assurance = standard();
    const both = featureSet([later, assurance], assurance.originalStart + 1);
    expect(both.find((f) => f.feature === 'software-updates')?.grantedBy.map((g) => g.subscriptionId)).toEqual([assurance.id]);
  });
});
