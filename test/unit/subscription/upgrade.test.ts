import { describe, expect, it } from 'vitest';
import { lapse, renew, upgradeTier } from '../../../src/domain/subscription/index.js';
import { emailsOf, invoiceOf, ok, refused, standard, t } from './fixtures.js';

describe('upgradeTier', () => {
  it('charges the prorated price difference to the term end', () => {
    const { state, effects } = ok(upgradeTier(standard(), 'premium-plus', t('2026-09-01T12:00')));
    // (129 900 - 49 900) x 181/365 = 39 671.23 -> 39 671
    const invoice = invoiceOf(effects);
    expect(invoice.totalMinor).toBe(39_671);
    expect(invoice.lines[0]).toMatchObject({ kind: 'upgrade-proration', periodEnd: t('2027-03-01T09:00') });
    expect(state.tier).toBe('premium-plus');
    expect(state.planId).toBe('assurance-premium-plus');
    expect(state.tierHistory.map((c) => c.tier)).toEqual(['standard', 'premium-plus']);
    expect(emailsOf(effects)[0]?.template).toBe('tier-upgraded');
  });

  it('allows stepwise upgrades', () => {
    const premium = ok(upgradeTier(standard(), 'premium', t('2026-06-01T09:00'))).state;
    const plus = ok(upgradeTier(premium, 'premium-plus', t('2026-09-01T12:00')));
    expect(invoiceOf(plus.effects).totalMinor).toBe(19_836); // 40 000 x 181/365 = 19 835.6
  });

  it('refuses a mid-term downgrade and says when it can happen', () => {
    const premium = standard({ planId: 'assurance-premium' });
    expect(refused(upgradeTier(premium, 'standard', t('2026-09-01T12:00')), 'downgrade_mid_term')).toBe(
      'downgrading from Software and Support Services - Premium to Software and Support Services - Standard takes effect at renewal on 2027-03-01',
    );
  });

  it('refuses the same tier, unknown tiers, expired subscriptions and scheduled changes', () => {
    refused(upgradeTier(standard(), 'standard', t('2026-09-01T12:00')), 'same_tier');
    refused(upgradeTier(standard(), 'gold', t('2026-09-01T12:00')), 'unknown_tier');
    const lapsed = ok(lapse(standard(), t('2027-03-01T09:00'))).state;
    refused(upgradeTier(lapsed, 'premium', t('2027-03-02T09:00')), 'not_active');
    const downgrading = ok(renew(standard({ planId: 'assurance-premium' }), t('2027-02-01T09:00'), { tier: 'standard' })).state;
    expect(refused(upgradeTier(downgrading, 'premium-plus', t('2027-02-02T09:00')), 'tier_change_scheduled')).toBe(
      'a change to standard is already scheduled for 2027-03-01',
    );
  });

  it('charges the renewed year in full when upgrading after an early renewal', () => {
    const renewed = ok(renew(standard(), t('2027-02-01T09:00'))).state;
    const invoice = invoiceOf(ok(upgradeTier(renewed, 'premium', t('2027-02-01T09:00'))).effects);
    // 40 000 x 28/365 = 3 068.49 -> 3 068, then 40 000 for the renewed year.
    expect(invoice.lines.map((l) => l.amountMinor)).toEqual([3_068, 40_000]);
  });
});
