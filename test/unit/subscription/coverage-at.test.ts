import { describe, expect, it } from 'vitest';
import { coverAt, type CustomerCoverage } from '../../../src/subscriptions/entitlement-gateway';

const day = 86_400_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');
const period = (subscriptionId: string, planId: string, tier: string, from: number, to: number) => ({
  subscriptionId,
  planId,
  tier,
  validFrom: t0 + from * day,
  validTo: t0 + to * day,
});

/** The opening path asks what a customer's subscriptions cover at the opening instant (002). */
describe('coverAt', () => {
  const coverage: CustomerCoverage = {
    periods: [period('s1', 'assurance-standard', 'standard', 0, 365), period('s2', 'assurance-premium-plus', 'premium-plus', 300, 730)],
    latest: { id: 's2', status: 'active', termEnd: t0 + 730 * day },
    warranties: [],
  };

  it('a period covers from its first instant up to, not including, its end', () => {
    expect(coverAt(coverage, t0)).toMatchObject({ covered: true, subscriptionId: 's1', tier: 'standard' });
    expect(coverAt(coverage, t0 + 730 * day)).toMatchObject({ covered: false, code: 'active' });
  });

  it('of two overlapping periods (a renewal bought early), the one that runs longest decides', () => {
    expect(coverAt(coverage, t0 + 310 * day)).toMatchObject({ covered: true, subscriptionId: 's2', tier: 'premium-plus' });
  });

  it('outside every period, the latest subscription says why', () => {
    const lapsed: CustomerCoverage = {
      periods: coverage.periods.slice(0, 1),
      latest: { id: 's1', status: 'lapsed', termEnd: t0 + 365 * day },
      warranties: [],
    };
    expect(coverAt(lapsed, t0 + 400 * day)).toEqual({
      covered: false,
      code: 'lapsed',
      reason: 'subscription s1 is lapsed (term ended 2027-01-01T00:00:00.000Z)',
    });
  });

  it('a plan published after the built-ins is resolved by the policy its pinned catalog names', () => {
    const published: CustomerCoverage = {
      periods: [{ ...period('s3', 'per-user-2027', 'standard', 0, 365), policyId: 'per-user-support' }],
      latest: { id: 's3', status: 'active', termEnd: t0 + 365 * day },
      warranties: [],
    };
    expect(coverAt(published, t0)).toEqual({ covered: true, policyId: 'per-user-support', subscriptionId: 's3', tier: 'standard' });
  });

  it('a customer without a subscription has no answer, so its contracts decide', () => {
    expect(coverAt({ periods: [], warranties: [] }, t0)).toBeUndefined();
  });
});
