import { describe, expect, it } from 'vitest';
import { entitlementAt, lapse, reinstate, upgradeTier } from '../../../src/domain/subscription/index.js';
import type { PlanCatalog } from '../../../src/domain/subscription/index.js';
import { planCatalog } from '../../../src/domain/subscription/index.js';
import { ok, perUser, standard, t } from './fixtures.js';

const HOUR = 3_600_000;

describe('entitlementAt', () => {
  it('covers a ticket opened one second before expiry but not at or after it', () => {
    const state = standard();
    expect(entitlementAt(state, state.termEnd - 1_000, 'phone')).toEqual({
      covered: true,
      tier: 'standard',
      planId: 'assurance-standard',
      calendarId: 'weekday-9-5',
      responseTargetMs: 24 * HOUR,
      termEnd: state.termEnd,
      incidentsRemaining: null,
    });
    expect(entitlementAt(state, state.termEnd, 'phone')).toEqual({
      covered: false,
      code: 'expired',
      reason: 'support expired on Mon 1 Mar 2027 09:00 Europe/Berlin; only tickets opened before expiry are covered',
    });
    expect(entitlementAt(state, state.termEnd + 1_000, 'email').covered).toBe(false);
  });

  it('does not cover tickets before the start', () => {
    const e = entitlementAt(standard(), t('2026-03-01T08:59'), 'phone');
    expect(e.covered ? '' : e.code).toBe('not_started');
  });

  it('applies an upgrade only to tickets opened at or after it', () => {
    const upgradedAt = t('2026-09-01T12:00');
    const { state } = ok(upgradeTier(standard(), 'premium-plus', upgradedAt));
    const before = entitlementAt(state, upgradedAt - 1, 'phone');
    const after = entitlementAt(state, upgradedAt, 'phone');
    expect(before.covered && [before.tier, before.calendarId, before.responseTargetMs]).toEqual(['standard', 'weekday-9-5', 24 * HOUR]);
    expect(after.covered && [after.tier, after.calendarId, after.responseTargetMs]).toEqual(['premium-plus', 'always-open', 2 * HOUR]);
  });

  it('does not cover the gap between lapse and reinstatement, but covers before and after', () => {
    const lapsed = ok(lapse(standard(), t('2027-03-01T09:00'))).state;
    const reinstatedAt = t('2027-03-20T14:00');
    const { state } = ok(reinstate(lapsed, reinstatedAt));
    expect(entitlementAt(state, t('2027-03-01T08:59'), 'phone').covered).toBe(true);
    expect(entitlementAt(state, t('2027-03-10T10:00'), 'phone')).toEqual({
      covered: false,
      code: 'lapse_gap',
      reason:
        'no support contract was active on 2027-03-10: it expired on 2027-03-01 and was reinstated on 2027-03-20; tickets opened in between are not covered',
    });
    expect(entitlementAt(state, reinstatedAt - 1, 'phone').covered).toBe(false);
    const after = entitlementAt(state, reinstatedAt, 'phone');
    expect(after.covered && after.termEnd).toBe(t('2028-03-01T09:00'));
  });

  it('refuses channels the plan does not include', () => {
    const emailOnly: PlanCatalog = {
      ...planCatalog,
      'assurance-standard': { ...planCatalog['assurance-standard']!, channels: ['email'] },
    };
    const e = entitlementAt(standard(), t('2026-06-01T10:00'), 'phone', emailOnly);
    expect(e.covered ? '' : e.reason).toBe('Software and Support Services - Standard does not include phone support');
  });

  it('reports the phone incidents left for capped plans', () => {
    const e = entitlementAt(perUser(), t('2026-06-01T10:00'), 'phone');
    expect(e.covered && e.incidentsRemaining).toBe(5);
  });
});
