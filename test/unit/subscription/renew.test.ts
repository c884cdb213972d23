import { describe, expect, it } from 'vitest';
import { advance, entitlementAt, renew } from '../../../src/domain/subscription/index.js';
import { cancelAtTermEnd } from '../../../src/domain/subscription/index.js';
import { emailsOf, invoiceOf, iso, ok, perUser, refused, standard, t } from './fixtures.js';

describe('renew', () => {
  it('extends from the current end date, not from now', () => {
    const { state, effects } = ok(renew(standard(), t('2027-02-10T15:30')));
    expect(iso(state.termStart)).toBe('2027-03-01T09:00');
    expect(iso(state.termEnd)).toBe('2028-03-01T09:00');
    expect(state.termHistory.map((r) => r.kind)).toEqual(['initial', 'renewal']);
    const invoice = invoiceOf(effects);
    expect(invoice.totalMinor).toBe(49_900);
    expect(invoice.lines[0]).toMatchObject({ periodStart: t('2027-03-01T09:00'), periodEnd: t('2028-03-01T09:00') });
    expect(emailsOf(effects).map((e) => e.template)).toEqual(['subscription-renewed']);
  });

  it('keeps the current term covered until the new one starts', () => {
    const { state } = ok(renew(standard(), t('2027-02-10T15:30')));
    const e = entitlementAt(state, t('2027-02-28T09:00'), 'phone');
    expect(e.covered && iso(e.termEnd)).toBe('2028-03-01T09:00');
    expect(entitlementAt(state, t('2027-03-01T09:00'), 'phone').covered).toBe(true);
  });

  it('returns the status to active when renewed inside the last reminder window', () => {
    const expiring = advance(standard(), t('2027-02-25T09:00')).state;
    expect(expiring.status).toBe('expiring');
    expect(ok(renew(expiring, t('2027-02-25T10:00'))).state.status).toBe('active');
  });

  it('clears cancel-at-term-end', () => {
    const cancelling = ok(cancelAtTermEnd(standard(), t('2026-06-01T09:00'))).state;
    expect(cancelling.cancelAtTermEnd).toBe(true);
    expect(ok(renew(cancelling, t('2026-06-02T09:00'))).state.cancelAtTermEnd).toBe(false);
  });

  it('refuses a second renewal ahead', () => {
    const once = ok(renew(standard(), t('2027-01-10T09:00'))).state;
    expect(refused(renew(once, t('2027-01-11T09:00')), 'already_renewed')).toBe(
      'already renewed through 2028-03-01; the next renewal opens on 2027-03-01',
    );
  });

  it('refuses at and after the expiry instant: that is a reinstatement', () => {
    expect(refused(renew(standard(), t('2027-03-01T09:00')), 'expired_use_reinstate')).toMatch(/expired on 2027-03-01/);
    ok(renew(standard(), t('2027-03-01T08:59:59')));
  });

  it('bills renewals at the seat count in force and the chosen cycle', () => {
    const annual = invoiceOf(ok(renew(perUser(), t('2027-02-01T09:00'))).effects);
    expect(annual.totalMinor).toBe(54_000);
    const monthly = invoiceOf(ok(renew(perUser({ billingCycle: 'monthly' }), t('2027-02-01T09:00'))).effects);
    expect(monthly.totalMinor).toBe(60_000);
    expect(iso(monthly.instalments[0]?.dueAt ?? 0)).toBe('2027-03-01T09:00');
  });

  it('applies a tier chosen at renewal from the new term start (how downgrades happen)', () => {
    const premium = standard({ planId: 'assurance-premium' });
    const { state, effects } = ok(renew(premium, t('2027-02-01T09:00'), { tier: 'standard' }));
    expect(invoiceOf(effects).totalMinor).toBe(49_900);
    const before = entitlementAt(state, t('2027-03-01T08:59'), 'phone');
    const after = entitlementAt(state, t('2027-03-01T09:00'), 'phone');
    expect(before.covered && before.tier).toBe('premium');
    expect(after.covered && after.tier).toBe('standard');
    refused(renew(premium, t('2027-02-01T09:00'), { tier: 'platinum' }), 'unknown_tier');
  });
});
