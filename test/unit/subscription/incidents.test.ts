import { describe, expect, it } from 'vitest';
import { entitlementAt, lapse, recordIncident, renew } from '../../../src/domain/subscription/index.js';
import type { Channel, SubscriptionState } from '../../../src/domain/subscription/index.js';
import { ok, perUser, refused, standard, t } from './fixtures.js';

function record(state: SubscriptionState, channel: Channel, times: number, now: number): SubscriptionState {
  let s = state;
  for (let i = 0; i < times; i += 1) s = ok(recordIncident(s, channel, now + i * 60_000)).state;
  return s;
}

describe('recordIncident', () => {
  it('allows 5 phone incidents per subscription year and refuses the 6th with a clear reason', () => {
    const five = record(perUser(), 'phone', 5, t('2026-04-01T10:00'));
    expect(entitlementAt(five, t('2026-05-01T10:00'), 'phone')).toMatchObject({ covered: true, incidentsRemaining: 0 });
    expect(refused(recordIncident(five, 'phone', t('2026-05-01T10:00')), 'incident_cap_reached')).toBe(
      'phone support is limited to 5 incidents per subscription year; 5 used since 2026-03-01',
    );
  });

  it('does not cap email', () => {
    const many = record(perUser(), 'email', 20, t('2026-04-01T10:00'));
    expect(many.incidents).toEqual([{ yearStart: t('2026-03-01T09:00'), channel: 'email', count: 20 }]);
  });

  it('resets at the subscription anniversary, not on 1 January', () => {
    const renewed = ok(renew(perUser(), t('2026-06-01T09:00'))).state;
    const five = record(renewed, 'phone', 5, t('2026-12-01T10:00'));
    refused(recordIncident(five, 'phone', t('2027-01-15T10:00')), 'incident_cap_reached');
    refused(recordIncident(five, 'phone', t('2027-03-01T08:59')), 'incident_cap_reached');
    const next = ok(recordIncident(five, 'phone', t('2027-03-01T09:00'))).state;
    expect(entitlementAt(next, t('2027-03-02T10:00'), 'phone')).toMatchObject({ incidentsRemaining: 4 });
  });

  it('does not cap 002 assurance plans', () => {
    expect(record(standard(), 'phone', 12, t('2026-04-01T10:00')).incidents[0]?.count).toBe(12);
  });

  it('refuses tickets that are not entitled, with the entitlement reason', () => {
    const lapsed = ok(lapse(perUser(), t('2027-03-01T09:00'))).state;
    expect(refused(recordIncident(lapsed, 'phone', t('2027-03-01T09:00')), 'expired')).toMatch(/support expired/);
    refused(recordIncident(perUser(), 'email', t('2026-02-01T10:00')), 'not_started');
  });
});
