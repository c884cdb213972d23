import { describe, expect, it } from 'vitest';
import {
  addSeats,
  cancelAtTermEnd,
  extendWarranty,
  lapse,
  MAX_REMEMBERED_OPERATIONS,
  purge,
  recordIncident,
  reinstate,
  renew,
  upgradeTier,
} from '../../../src/domain/subscription/index.js';
import type { OperationOptions, OperationResult, SubscriptionState } from '../../../src/domain/subscription/index.js';
import { ok, perUser, standard, t } from './fixtures.js';

type Op = (state: SubscriptionState, options: OperationOptions) => OperationResult;

const lapsedPerUser = (): SubscriptionState => ok(lapse(perUser(), t('2027-03-01T09:00'))).state;

const cases: Array<[string, () => SubscriptionState, Op]> = [
  ['renew', standard, (s, o) => renew(s, t('2027-02-01T09:00'), o)],
  ['addSeats', perUser, (s, o) => addSeats(s, 2, t('2026-09-01T09:00'), o)],
  ['recordIncident', perUser, (s, o) => recordIncident(s, 'phone', t('2026-09-01T09:00'), o)],
  ['upgradeTier', standard, (s, o) => upgradeTier(s, 'premium', t('2026-09-01T09:00'), o)],
  ['cancelAtTermEnd', standard, (s, o) => cancelAtTermEnd(s, t('2026-09-01T09:00'), o)],
  ['lapse', perUser, (s, o) => lapse(s, t('2027-03-01T09:00'), o)],
  ['purge', lapsedPerUser, (s, o) => purge(s, t('2027-06-01T09:00'), o)],
  ['reinstate', lapsedPerUser, (s, o) => reinstate(s, t('2027-04-01T09:00'), o)],
  [
    'extendWarranty',
    () => standard({ hardware: { productId: 'ucx250', purchasedAt: t('2026-03-01T09:00') } }),
    (s, o) => extendWarranty(s, t('2026-09-01T09:00'), o),
  ],
];

describe('idempotency by operation id', () => {
  it.each(cases)('%s applied twice with the same id changes nothing the second time', (_name, initial, op) => {
    const first = ok(op(initial(), { operationId: 'op-1' }));
    expect({ ...first.state, processedOperationIds: [] }).not.toEqual(initial());
    expect(first.state.processedOperationIds).toContain('op-1');
    const second = op(first.state, { operationId: 'op-1' });
    expect(second).toEqual({ ok: true, state: first.state, effects: [], duplicate: true });
  });

  it('counts an incident once per operation id, and again for a new id', () => {
    const once = ok(recordIncident(perUser(), 'phone', t('2026-09-01T09:00'), { operationId: 'ticket-7' })).state;
    const again = ok(recordIncident(once, 'phone', t('2026-09-01T09:01'), { operationId: 'ticket-7' })).state;
    const other = ok(recordIncident(again, 'phone', t('2026-09-01T09:02'), { operationId: 'ticket-8' })).state;
    expect(again.incidents[0]?.count).toBe(1);
    expect(other.incidents[0]?.count).toBe(2);
  });

  it('does not remember refused operations, so they can be retried', () => {
    const refused = lapse(perUser(), t('2027-02-01T09:00'), { operationId: 'lapse-1' });
    expect(refused.ok).toBe(false);
    expect(ok(lapse(perUser(), t('2027-03-01T09:00'), { operationId: 'lapse-1' })).duplicate).toBeUndefined();
  });

  it('remembers a bounded number of recent ids', () => {
    let state = perUser();
    for (let i = 0; i < MAX_REMEMBERED_OPERATIONS + 10; i += 1) {
      state = ok(recordIncident(state, 'email', t('2026-09-01T09:00') + i, { operationId: `op-${i}` })).state;
    }
    expect(state.processedOperationIds).toHaveLength(MAX_REMEMBERED_OPERATIONS);
    expect(state.processedOperationIds.at(-1)).toBe(`op-${MAX_REMEMBERED_OPERATIONS + 9}`);
  });
});
