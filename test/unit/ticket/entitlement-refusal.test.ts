import { describe, expect, it } from 'vitest';
import { vendorPresets } from '../../../src/domain/accounts/vendor-presets';
import { presetCatalog } from '../../../src/domain/catalog/index';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import { entitlementRefusal, type RefusedClaim } from '../../../src/tickets/entitlement-refusal';

const refused = (code: RefusedClaim['decision']['code'], reason: string, vendorId = 'per-user'): RefusedClaim => ({
  decision: { covered: false, code, reason, ticketId: 'T-1' },
  channel: 'phone',
  policy: getPolicyPreset('per-user-support'),
  vendor: vendorPresets[vendorId]!,
  catalog: presetCatalog,
});

describe('a subscription claim refused at opening', () => {
  it('004: the phone cap keeps its code and says what is still open, never that the subscriber has none', () => {
    const err = entitlementRefusal(
      refused('incident_cap_reached', 'phone support is limited to 5 incidents per subscription year; 5 used since 2026-03-01'),
    );
    expect(err.code).toBe('incident_cap_reached');
    expect(err.message).toBe(
      'Phone support is limited to 5 incidents per subscription year; 5 used since 2026-03-01. The cap counts phone tickets only. ' +
        'Open the request by email under the subscription, or name policyId "per-user-hourly" to open it outside the subscription, billed hourly at then-current rates.',
    );
    expect(err.errors).toEqual([{ path: 'body.channel', message: expect.stringContaining('limited to 5') }]);
  });

  it('a vendor without a paid path offers only the other channels', () => {
    const err = entitlementRefusal(refused('channel_not_included', 'Basic does not include phone support', 'emetrotel'));
    expect(err.code).toBe('channel_not_included');
    expect(err.message).toBe('Basic does not include phone support. Open the request by email under the subscription.');
  });

  it('a subscription that ended since the peek is no entitlement: the vendor’s advice to the uncovered', () => {
    const err = entitlementRefusal(refused('expired', 'support expired on 1 March 2027'));
    expect(err.code).toBe('not_entitled');
    expect(err.message).toBe(`Support expired on 1 March 2027. ${vendorPresets['per-user']!.noContract.advice}`);
    expect(err.errors).toEqual([{ path: 'body.customerId', message: 'expired' }]);
  });
});
