import { describe, expect, it } from 'vitest';
import { addSeats, createSubscription, entitlementAt, planCatalog, renew, upgradeTier } from '../../../src/domain/subscription/index.js';
import { create, emailsOf, invoiceOf, iso, refused, t, ZONE } from './fixtures.js';

describe('plan catalog', () => {
  it('carries 002 tiers with their calendars and response targets', () => {
    const tiers = ['assurance-standard', 'assurance-premium', 'assurance-premium-plus'].map((id) => planCatalog[id]);
    expect(tiers.map((p) => [p?.calendarId, p?.responseTargetMs, p?.channels])).toEqual([
      ['weekday-9-5', 24 * 3_600_000, ['phone', 'email']],
      ['weekday-7-7', 4 * 3_600_000, ['phone', 'email']],
      ['always-open', 2 * 3_600_000, ['phone', 'email']],
    ]);
  });

  it("carries 004's per-user plan: monthly or discounted annual billing, phone cap, reinstatement fee", () => {
    const plan = planCatalog['per-user-support'];
    expect(plan?.pricing).toEqual({ kind: 'per-seat', pricePerSeatPerYearMinor: 6_000, annualBillingDiscountBps: 1_000 });
    expect(plan?.billingCycles).toEqual(['monthly', 'annual']);
    expect(plan?.incidentCapsPerYear).toEqual({ phone: 5 });
    expect(plan?.reinstatement.feeMinor).toBe(15_000);
  });
});

describe('createSubscription', () => {
  it('includes the first Standard year with a system purchase as a zero-amount invoice', () => {
    const { state, effects } = create({ includedWithPurchase: true });
    expect(iso(state.termStart)).toBe('2026-03-01T09:00');
    expect(iso(state.termEnd)).toBe('2027-03-01T09:00');
    expect(state.status).toBe('active');
    const invoice = invoiceOf(effects);
    expect(invoice.totalMinor).toBe(0);
    expect(invoice.instalments).toEqual([]);
    expect(invoice.lines).toEqual([expect.objectContaining({ kind: 'included-with-purchase', amountMinor: 0 })]);
    expect(emailsOf(effects).map((e) => e.template)).toEqual(['subscription-created']);
  });

  it('charges only the difference when Premium is added at time of purchase', () => {
    const invoice = invoiceOf(create({ planId: 'assurance-premium', includedWithPurchase: true }).effects);
    expect(invoice.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['included-with-purchase', 0],
      ['subscription', 40_000],
    ]);
    expect(invoice.totalMinor).toBe(40_000);
  });

  it('charges the full year for a Standard contract bought on its own', () => {
    expect(invoiceOf(create().effects).totalMinor).toBe(49_900);
  });

  it('bills a per-user annual commitment monthly in 12 equal instalments at each month start', () => {
    const { effects } = create({ planId: 'per-user-support', seats: 10, billingCycle: 'monthly' });
    const invoice = invoiceOf(effects);
    expect(invoice.totalMinor).toBe(60_000);
    expect(invoice.instalments).toHaveLength(12);
    expect(invoice.instalments.every((i) => i.amountMinor === 5_000)).toBe(true);
    expect(invoice.instalments.map((i) => iso(i.dueAt)).slice(0, 3)).toEqual(['2026-03-01T09:00', '2026-04-01T09:00', '2026-05-01T09:00']);
  });

  it('bills a per-user annual commitment paid annually with the 10 % discount', () => {
    const invoice = invoiceOf(create({ planId: 'per-user-support', seats: 10, billingCycle: 'annual' }).effects);
    expect(invoice.totalMinor).toBe(54_000);
    expect(invoice.instalments).toEqual([{ dueAt: t('2026-03-01T09:00'), amountMinor: 54_000 }]);
  });

  it('refuses invalid input with a reason', () => {
    const base = { id: 's', customerId: 'c', planId: 'assurance-standard', timeZone: ZONE };
    expect(refused(createSubscription({ ...base, timeZone: 'Mars/Olympus' }, 0), 'invalid_input')).toMatch(/IANA/);
    refused(createSubscription({ ...base, planId: 'gold' }, 0), 'unknown_plan');
    refused(createSubscription({ ...base, planId: 'per-user-support' }, 0), 'invalid_input');
    refused(createSubscription({ ...base, planId: 'per-user-support', seats: 3, includedWithPurchase: true }, 0), 'invalid_input');
    refused(createSubscription({ ...base, billingCycle: 'monthly' }, 0), 'invalid_input');
    refused(createSubscription({ ...base, seats: 4 }, 0), 'seats_not_applicable');
    refused(createSubscription({ ...base, hardware: { productId: 'toaster', purchasedAt: 0 } }, 0), 'unknown_product');
    expect(
      refused(createSubscription({ ...base, hardware: { productId: 'ucx250', purchasedAt: 0, systemId: '' } }, 0), 'invalid_input'),
    ).toBe('hardware: expected { productId, purchasedAt, systemId? }');
  });

  it('keeps the installed system its hardware warranty covers, and none when the sale names none', () => {
    const purchasedAt = t('2026-03-01T09:00');
    const named = create({ hardware: { productId: 'ucx250', purchasedAt, systemId: 'ucx-1' } }).state.warranty;
    expect(named).toMatchObject({ productId: 'ucx250', systemId: 'ucx-1', start: purchasedAt });
    expect(create({ hardware: { productId: 'ucx250', purchasedAt } }).state.warranty).not.toHaveProperty('systemId');
  });

  it('skips reminders whose time passed before a back-dated start was recorded', () => {
    const { state } = create({}, t('2027-02-10T09:00'));
    expect(state.reminderKeysDone).toHaveLength(2);
    expect(state.status).toBe('active');
    expect(create({}, t('2027-02-25T09:00')).state.status).toBe('expiring');
  });

  it('produces a JSON-serialisable state', () => {
    const { state } = create({ hardware: { productId: 'ucx250', purchasedAt: t('2026-03-01T09:00') } });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('records the operation id of the creation', () => {
    const result = createSubscription({ id: 's', customerId: 'c', planId: 'assurance-standard', timeZone: ZONE }, 0, {
      operationId: 'create-1',
    });
    expect(result.ok && result.state.processedOperationIds).toEqual(['create-1']);
  });
});

describe('a subscription dated to start in the future', () => {
  const future = () => create({ startAt: t('2026-04-01T09:00') }, t('2026-03-20T09:00')).state;

  it('is not entitled before its start and refuses mid-term changes', () => {
    const state = future();
    const e = entitlementAt(state, t('2026-03-25T09:00'), 'phone');
    expect(e.covered ? '' : e.reason).toBe('support starts on Wed 1 Apr 2026 09:00 Europe/Berlin');
    refused(renew(state, t('2026-03-25T09:00')), 'not_started');
    refused(upgradeTier(state, 'premium', t('2026-03-25T09:00')), 'not_started');
    refused(
      addSeats(
        create({ planId: 'per-user-support', seats: 2, startAt: t('2026-04-01T09:00') }, t('2026-03-20T09:00')).state,
        1,
        t('2026-03-25T09:00'),
      ),
      'not_started',
    );
    expect(entitlementAt(state, t('2026-04-01T09:00'), 'phone').covered).toBe(true);
  });
});
