import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSeats, lapse, planCatalog, renew } from '../../../src/domain/subscription/index.js';
import type { PlanCatalog } from '../../../src/domain/subscription/index.js';
import { create, invoiceOf, iso, ok, perUser, refused, standard, t } from './fixtures.js';

describe('addSeats', () => {
  it('annual: 3 seats with exactly half the term left cost half a discounted year', () => {
    // 2027-03-01 to 2028-03-01 has 366 days (29 Feb 2028); 31 Aug 2027 leaves 183.
    const state = perUser({ startAt: t('2027-03-01T09:00') });
    const { state: next, effects } = ok(addSeats(state, 3, t('2027-08-31T16:00')));
    const invoice = invoiceOf(effects);
    expect(invoice.totalMinor).toBe(8_100); // 6 000 x 3 x 0.9 x 183/366
    expect(invoice.lines[0]).toMatchObject({ kind: 'seat-proration', quantity: 3, periodEnd: t('2028-03-01T09:00') });
    expect(invoice.instalments).toEqual([{ dueAt: t('2027-08-31T16:00'), amountMinor: 8_100 }]);
    expect(next.seats).toBe(13);
  });

  it('annual: counts local calendar days, rounding half up once', () => {
    // 365-day term, 1 Sep 2026 leaves 181 days: 16 200 x 181 / 365 = 8 033.42 -> 8 033.
    expect(invoiceOf(ok(addSeats(perUser(), 3, t('2026-09-01T09:00'))).effects).totalMinor).toBe(8_033);
  });

  it('monthly: 3 seats with six months left pay six monthly instalments of 15.00', () => {
    const state = perUser({ billingCycle: 'monthly' });
    const invoice = invoiceOf(ok(addSeats(state, 3, t('2026-09-01T09:00'))).effects);
    expect(invoice.totalMinor).toBe(9_000);
    expect(invoice.instalments.map((i) => [iso(i.dueAt), i.amountMinor])).toEqual([
      ['2026-09-01T09:00', 1_500],
      ['2026-10-01T09:00', 1_500],
      ['2026-11-01T09:00', 1_500],
      ['2026-12-01T09:00', 1_500],
      ['2027-01-01T09:00', 1_500],
      ['2027-02-01T09:00', 1_500],
    ]);
  });

  it('monthly: the current month is prorated by days, later months are full instalments', () => {
    const invoice = invoiceOf(ok(addSeats(perUser({ billingCycle: 'monthly' }), 3, t('2026-09-16T13:00'))).effects);
    // 15 of September's 30 days remain (16th to 30th inclusive).
    expect(invoice.instalments[0]).toEqual({ dueAt: t('2026-09-16T13:00'), amountMinor: 750 });
    expect(invoice.totalMinor).toBe(750 + 5 * 1_500);
  });

  it('rounds half a cent up', () => {
    // 36 per seat per year = 3 per month; 5 of 30 days left = 0.5 -> 1.
    const catalog: PlanCatalog = {
      ...planCatalog,
      'per-user-support': {
        ...planCatalog['per-user-support']!,
        pricing: { kind: 'per-seat', pricePerSeatPerYearMinor: 36, annualBillingDiscountBps: 0 },
      },
    };
    const state = perUser({ billingCycle: 'monthly' });
    const invoice = invoiceOf(ok(addSeats(state, 1, t('2026-09-26T09:00'), { catalog })).effects);
    expect(invoice.instalments[0]?.amountMinor).toBe(1);
  });

  it('charges the full renewed year too when added after an early renewal', () => {
    const renewed = ok(renew(perUser(), t('2027-02-01T09:00'))).state;
    const invoice = invoiceOf(ok(addSeats(renewed, 1, t('2027-02-01T09:00'))).effects);
    // 28 of 365 days at 5 400 -> 414.25 -> 414, then the whole next year: 5 400.
    expect(invoice.lines.map((l) => l.amountMinor)).toEqual([414, 5_400]);
  });

  it('refuses invalid counts, flat-priced plans and expired subscriptions', () => {
    refused(addSeats(perUser(), 0, t('2026-09-01T09:00')), 'invalid_input');
    refused(addSeats(perUser(), 1.5, t('2026-09-01T09:00')), 'invalid_input');
    refused(addSeats(standard(), 1, t('2026-09-01T09:00')), 'seats_not_applicable');
    const lapsed = ok(lapse(perUser(), t('2027-03-01T09:00'))).state;
    expect(refused(addSeats(lapsed, 1, t('2027-03-02T09:00')), 'not_active')).toBe(
      'users cannot be added to a subscription that expired on 2027-03-01',
    );
  });
});

describe('proration properties', () => {
  const termStart = t('2026-03-01T09:00');
  const termEnd = t('2027-03-01T09:00');
  const instant = fc.integer({ min: termStart, max: termEnd - 1 });
  const seats = fc.integer({ min: 1, max: 500 });

  it('never exceeds a full year for the added seats, and is a full year on the first day', () => {
    fc.assert(
      fc.property(instant, seats, fc.constantFrom('monthly' as const, 'annual' as const), (now, n, cycle) => {
        const state = perUser({ billingCycle: cycle });
        const full = cycle === 'annual' ? 5_400 * n : 6_000 * n;
        const invoice = invoiceOf(ok(addSeats(state, n, now)).effects);
        expect(invoice.totalMinor).toBeGreaterThanOrEqual(0);
        expect(invoice.totalMinor).toBeLessThanOrEqual(full);
        expect(invoice.instalments.reduce((s, i) => s + i.amountMinor, 0)).toBe(invoice.totalMinor);
      }),
    );
    expect(invoiceOf(ok(addSeats(perUser(), 7, termStart)).effects).totalMinor).toBe(5_400 * 7);
    expect(invoiceOf(ok(addSeats(perUser({ billingCycle: 'monthly' }), 7, termStart)).effects).totalMinor).toBe(6_000 * 7);
  });

  it('never charges more for adding seats later in the term', () => {
    fc.assert(
      fc.property(instant, instant, seats, (a, b, n) => {
        const state = perUser();
        const [early, late] = a <= b ? [a, b] : [b, a];
        const cost = (now: number) => invoiceOf(ok(addSeats(state, n, now)).effects).totalMinor;
        expect(cost(late)).toBeLessThanOrEqual(cost(early));
      }),
    );
  });

  it('monthly instalments of a renewal sum exactly to the annual commitment', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 1_000_000 }), (n, price) => {
        const catalog: PlanCatalog = {
          ...planCatalog,
          'per-user-support': {
            ...planCatalog['per-user-support']!,
            pricing: { kind: 'per-seat', pricePerSeatPerYearMinor: price, annualBillingDiscountBps: 1_000 },
          },
        };
        const state = create({ planId: 'per-user-support', seats: n, billingCycle: 'monthly' }).state;
        const invoice = invoiceOf(ok(renew(state, t('2027-01-15T09:00'), { catalog })).effects);
        const amounts = invoice.instalments.map((i) => i.amountMinor);
        expect(amounts.reduce((s, x) => s + x, 0)).toBe(price * n);
        expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 50 },
    );
  });
});
