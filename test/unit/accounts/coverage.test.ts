import { describe, expect, it } from 'vitest';
import {
  coverageAt,
  getVendorPreset,
  isResellerContact,
  mayRequest,
  prefilledFields,
  resellerCopy,
  vendorPresets,
  type Customer,
} from '../../../src/domain/accounts/index';
import { policyPresets } from '../../../src/domain/ticket/index';

const at = Date.parse('2026-06-01T12:00:00Z');
const vendor = (id: string) => getVendorPreset(id)!;
const customer = (over: Partial<Customer> = {}): Customer => ({
  id: 'c1',
  name: 'Clinic',
  timeZone: 'America/Chicago',
  vendorId: 'emetrotel',
  contacts: [{ email: 'Ann@Clinic.test' }],
  domains: ['branch.test'],
  contracts: [],
  systems: [
    { id: 'a', type: 'UCX250', hostId: 'H-A', release: '6.0', warrantyEnd: '2026-12-01T00:00:00.000Z' },
    { id: 'b', type: 'UCX50', hostId: 'H-B' },
  ],
  ...over,
});
const contract = (id: string, policyId: string, extra: Record<string, unknown> = {}) => ({
  id,
  policyId,
  validFrom: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('coverageAt: what the customer bought decides the policy', () => {
  it('takes the first active contract when the client names none, and only offers what was bought', () => {
    const c = customer({ contracts: [contract('std', 'emetrotel-standard'), contract('plus', 'emetrotel-premium-plus')] });
    expect(coverageAt({ customer: c, vendor: vendor('emetrotel'), at })).toMatchObject({
      ok: true,
      policyId: 'emetrotel-standard',
      coveredBy: { kind: 'contract', contractId: 'std' },
    });
    expect(coverageAt({ customer: c, vendor: vendor('emetrotel'), at, requestedPolicyId: 'emetrotel-premium-plus' })).toMatchObject({
      ok: true,
      coveredBy: { contractId: 'plus' },
    });
    expect(coverageAt({ customer: c, vendor: vendor('emetrotel'), at, requestedPolicyId: 'emetrotel-premium' })).toMatchObject({
      ok: false,
      code: 'policy_not_in_contract',
      allowed: ['emetrotel-standard', 'emetrotel-premium-plus'],
    });
  });

  it('counts a contract from its first instant up to, not including, its end', () => {
    const c = customer({ contracts: [contract('k', 'emetrotel-standard', { validTo: '2026-06-01T12:00:00.000Z' })] });
    expect(coverageAt({ customer: c, vendor: vendor('emetrotel'), at: at - 1 }).ok).toBe(true);
    expect(coverageAt({ customer: c, vendor: vendor('emetrotel'), at })).toMatchObject({ ok: false, code: 'not_entitled' });
  });

  it('puts the subscription before direct contracts', () => {
    const c = customer({ contracts: [contract('std', 'emetrotel-standard')] });
    const subscription = { covered: true as const, policyId: 'emetrotel-premium', subscriptionId: 's1', tier: 'premium' };
    expect(coverageAt({ customer: c, vendor: vendor('emetrotel'), at, subscription })).toMatchObject({
      policyId: 'emetrotel-premium',
      coveredBy: { kind: 'subscription', subscriptionId: 's1' },
    });
  });

  it('checks the named system: unknown, covered only by contracts that list it, the registry’s advice otherwise', () => {
    const c = customer({ contracts: [contract('std', 'emetrotel-standard', { systemIds: ['a'] })] });
    const q = { customer: c, vendor: vendor('emetrotel'), at };
    expect(coverageAt({ ...q, systemId: 'a' })).toMatchObject({ ok: true, system: { id: 'a' } });
    expect(coverageAt({ ...q, systemId: 'z' })).toMatchObject({ ok: false, code: 'unknown_system' });
    const b = coverageAt({ ...q, systemId: 'b' });
    expect(b).toMatchObject({ ok: false, code: 'system_not_covered' });
    expect(!b.ok && b.message).toMatch(/manufacturer registry/);
  });

  it('applies each vendor’s own rule without a contract', () => {
    const none = (vendorId: string) => coverageAt({ customer: customer({ vendorId }), vendor: vendor(vendorId), at });
    expect(none('per-user')).toMatchObject({ ok: true, policyId: 'per-user-hourly', coveredBy: { kind: 'paid' } });
    for (const id of ['smartertools', 'smartwork', 'emetrotel', 'mailup']) {
      const r = none(id);
      expect(r).toMatchObject({ ok: false, code: 'not_entitled' });
      expect(!r.ok && r.message).toContain(vendor(id).noContract.advice);
    }
    expect(
      coverageAt({
        customer: customer({ vendorId: 'smartertools' }),
        vendor: vendor('smartertools'),
        at,
        requestedPolicyId: 'smartertools-emergency',
      }),
    ).toMatchObject({ ok: true, coveredBy: { kind: 'paid' } });
  });

  it('covers a hardware warranty request by the system’s warranty end, not its contract', () => {
    const q = { customer: customer(), vendor: vendor('emetrotel'), at, service: 'hardware_warranty' as const };
    expect(coverageAt({ ...q, systemId: 'a' })).toMatchObject({ ok: true, coveredBy: { kind: 'warranty', systemId: 'a' } });
    expect(coverageAt({ ...q, systemId: 'a', at: Date.parse('2026-12-01T00:00:00Z') })).toMatchObject({ code: 'not_under_warranty' });
    expect(coverageAt({ ...q, systemId: 'b' })).toMatchObject({ code: 'not_under_warranty' });
    expect(coverageAt({ ...q, vendor: vendor('mailup'), systemId: 'a' })).toMatchObject({ code: 'not_under_warranty' });
  });

  it('covers a hardware warranty request by the warranty a subscription sold for that system, the later end deciding', () => {
    const q = { customer: customer(), vendor: vendor('emetrotel'), at, service: 'hardware_warranty' as const };
    const sold = (systemId: string, start: string, end: string) => ({
      subscriptionId: 'S-1',
      systemId,
      start: Date.parse(start),
      end: Date.parse(end),
    });
    // b has no warranty on record; its subscription sold one (extended into year 2).
    const forB = [sold('b', '2025-08-01T00:00:00Z', '2027-08-01T00:00:00Z')];
    expect(coverageAt({ ...q, systemId: 'b', warranties: forB })).toMatchObject({
      ok: true,
      policyId: 'emetrotel-hardware-warranty',
      coveredBy: { kind: 'warranty', systemId: 'b' },
      system: { id: 'b' },
    });
    expect(coverageAt({ ...q, systemId: 'b', warranties: forB, at: Date.parse('2027-08-01T00:00:00Z') })).toMatchObject({
      code: 'not_under_warranty',
      message: expect.stringContaining('ended on 2027-08-01'),
    });
    // A warranty sold for another system, or not yet begun, covers nothing here.
    expect(coverageAt({ ...q, systemId: 'b', warranties: [sold('a', '2025-08-01T00:00:00Z', '2027-08-01T00:00:00Z')] })).toMatchObject({
      code: 'not_under_warranty',
    });
    expect(coverageAt({ ...q, systemId: 'b', warranties: [sold('b', '2026-07-01T00:00:00Z', '2027-07-01T00:00:00Z')] })).toMatchObject({
      code: 'not_under_warranty',
    });
    // a's record ends 2026-12-01: a subscription warranty that ends later extends it, an earlier one does not shorten it.
    const afterRecord = Date.parse('2027-01-15T00:00:00Z');
    expect(coverageAt({ ...q, systemId: 'a', at: afterRecord })).toMatchObject({ code: 'not_under_warranty' });
    expect(
      coverageAt({ ...q, systemId: 'a', at: afterRecord, warranties: [sold('a', '2025-03-01T00:00:00Z', '2027-03-01T00:00:00Z')] }),
    ).toMatchObject({ ok: true, coveredBy: { kind: 'warranty', systemId: 'a' } });
    expect(coverageAt({ ...q, systemId: 'a', warranties: [sold('a', '2025-03-01T00:00:00Z', '2026-03-01T00:00:00Z')] })).toMatchObject({
      ok: true,
    });
  });
});

describe('accounts rules', () => {
  it('lets contacts (any case) and addresses on the domains open tickets, nobody else', () => {
    const c = customer();
    expect(mayRequest(c, 'ann@clinic.test')).toBe(true);
    expect(mayRequest(c, 'Bob@BRANCH.test')).toBe(true);
    expect(mayRequest(c, 'bob@clinic.test')).toBe(false);
    expect(mayRequest(c, 'x@evil-branch.test')).toBe(false);
  });

  it('002: copies the reseller’s people on an end user’s ticket, nobody when one of them asked', () => {
    const reseller = { contacts: [{ email: 'NOC@Partner.test' }, { email: 'ops@partner.test' }, { email: 'noc@partner.test' }] };
    expect(resellerCopy(reseller, 'ann@clinic.test')).toEqual(['noc@partner.test', 'ops@partner.test']);
    expect(resellerCopy(reseller, 'Ops@partner.test')).toEqual([]);
    expect(resellerCopy(undefined, 'ann@clinic.test')).toEqual([]);
    expect(isResellerContact(reseller, ' noc@PARTNER.test')).toBe(true);
    expect(isResellerContact(reseller, 'ann@clinic.test')).toBe(false);
  });

  it('prefills the fields a system answers', () => {
    expect(prefilledFields(customer(), customer().systems[0])).toEqual({
      endCustomerName: 'Clinic',
      systemId: 'a',
      systemType: 'UCX250',
      product: 'UCX250',
      hostId: 'H-A',
      softwareRelease: '6.0',
      productVersion: '6.0',
    });
  });

  it('names only policies that exist in every vendor profile', () => {
    for (const v of Object.values(vendorPresets)) {
      const named = [...v.policyIds, ...v.paidPolicyIds, v.noContract.openOnPolicyId, v.warranty?.policyId].filter(Boolean);
      for (const id of named) expect(policyPresets[id as string], `${v.id}: ${id}`).toBeDefined();
    }
  });
});
