import { describe, expect, it } from 'vitest';
import { extendWarranty, isHardwareCovered } from '../../../src/domain/subscription/index.js';
import type { SubscriptionState } from '../../../src/domain/subscription/index.js';
import { emailsOf, invoiceOf, iso, ok, refused, standard, t } from './fixtures.js';

function withHardware(productId: string): SubscriptionState {
  return standard({ hardware: { productId, purchasedAt: t('2026-02-20T14:00') } });
}

describe('hardware warranty', () => {
  it('runs one year from purchase, end instant excluded', () => {
    const state = withHardware('ucx250');
    expect(iso(state.warranty?.end ?? 0)).toBe('2027-02-20T14:00');
    expect(isHardwareCovered(state, t('2026-02-20T13:59'))).toBe(false);
    expect(isHardwareCovered(state, t('2026-02-20T14:00'))).toBe(true);
    expect(isHardwareCovered(state, t('2027-02-20T13:59'))).toBe(true);
    expect(isHardwareCovered(state, t('2027-02-20T14:00'))).toBe(false);
    expect(isHardwareCovered(standard(), t('2026-06-01T00:00'))).toBe(false);
  });

  it('extends by one year when bought while the warranty is active', () => {
    const { state, effects } = ok(extendWarranty(withHardware('ucx250'), t('2027-02-20T13:59')));
    expect(iso(state.warranty?.end ?? 0)).toBe('2028-02-20T14:00');
    expect(state.warranty?.extensions).toEqual([
      { purchasedAt: t('2027-02-20T13:59'), previousEnd: t('2027-02-20T14:00'), newEnd: t('2028-02-20T14:00') },
    ]);
    expect(invoiceOf(effects).totalMinor).toBe(14_900);
    expect(emailsOf(effects)[0]?.template).toBe('warranty-extended');
    expect(isHardwareCovered(state, t('2027-06-01T00:00'))).toBe(true);
  });

  it('refuses an extension after the warranty expired', () => {
    expect(refused(extendWarranty(withHardware('ucx250'), t('2027-02-20T14:00')), 'warranty_expired')).toBe(
      'the hardware warranty expired on 2027-02-20; an extension must be bought while the warranty is active',
    );
  });

  it('refuses beyond the product maximum', () => {
    let state = withHardware('galaxy-mini');
    state = ok(extendWarranty(state, t('2026-06-01T09:00'))).state;
    state = ok(extendWarranty(state, t('2026-07-01T09:00'))).state;
    expect(iso(state.warranty?.end ?? 0)).toBe('2029-02-20T14:00');
    expect(refused(extendWarranty(state, t('2026-08-01T09:00')), 'warranty_maximum_reached')).toBe(
      'the Galaxy Mini warranty is limited to 3 years in total and already runs until 2029-02-20',
    );
  });

  it('refuses telephone sets and subscriptions without hardware', () => {
    expect(refused(extendWarranty(withHardware('infinity-phone'), t('2026-06-01T09:00')), 'warranty_not_extendable')).toMatch(
      /telephone sets and SIP clients are excluded/,
    );
    refused(extendWarranty(standard(), t('2026-06-01T09:00')), 'no_warranty');
  });

  it('is independent of the support contract', () => {
    const { state } = ok(extendWarranty(withHardware('ucx1000'), t('2026-06-01T09:00')));
    expect(state.status).toBe('active');
    expect(state.termEnd).toBe(t('2027-03-01T09:00'));
  });
});
