import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addSeats,
  advance,
  cancelAtTermEnd,
  entitlementAt,
  nextTimers,
  recordIncident,
  reinstate,
  renew,
  subscriptionYearAt,
  upgradeTier,
} from '../../../src/domain/subscription/index.js';
import type { OperationResult, SubscriptionState } from '../../../src/domain/subscription/index.js';
import { perUser, standard } from './fixtures.js';

const DAY = 86_400_000;

const step = fc.record({
  afterDays: fc.integer({ min: 0, max: 200 }),
  op: fc.constantFrom('renew', 'reinstate', 'seats', 'upgrade', 'incident', 'cancel', 'advance'),
});

function apply(state: SubscriptionState, op: string, now: number): OperationResult {
  switch (op) {
    case 'renew':
      return renew(state, now);
    case 'reinstate':
      return reinstate(state, now);
    case 'seats':
      return addSeats(state, 1, now);
    case 'upgrade':
      return upgradeTier(state, 'premium', now);
    case 'incident':
      return recordIncident(state, 'phone', now);
    case 'cancel':
      return cancelAtTermEnd(state, now);
    default:
      return advance(state, now);
  }
}

/**
 * Random histories: the workflow advances the clock before every operation, as it must. Whatever
 * happens, terms stay on anniversaries, coverage never overlaps, entitlement agrees with the term
 * history, every invoice balances and the state survives a JSON round trip.
 */
describe('random subscription histories', () => {
  it('keep the invariants', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.array(step, { maxLength: 25 }), (seatBased, autoRenew, steps) => {
        let state = seatBased ? perUser({ autoRenew }) : standard({ autoRenew });
        let now = state.termStart;
        for (const { afterDays, op } of steps) {
          now += afterDays * DAY + 3_600_000;
          state = advance(state, now).state;
          const result = apply(state, op, now);
          if (!result.ok) {
            expect(result.reason.length).toBeGreaterThan(0);
            continue;
          }
          for (const effect of result.effects) {
            if (effect.type !== 'invoice') continue;
            expect(effect.lines.every((l) => Number.isInteger(l.amountMinor) && l.amountMinor >= 0)).toBe(true);
            expect(effect.instalments.reduce((s, i) => s + i.amountMinor, 0)).toBe(effect.totalMinor);
          }
          state = result.state;
        }
        expect(subscriptionYearAt(state, state.termEnd).start).toBe(state.termEnd);
        expect(subscriptionYearAt(state, state.termStart).start).toBe(state.termStart);
        const records = [...state.termHistory].sort((a, b) => a.start - b.start);
        records.slice(1).forEach((r, i) => expect(r.start).toBe(records[i]?.end));
        for (const r of records) {
          expect(entitlementAt(state, r.coveredFrom, 'email').covered).toBe(r.coveredFrom < r.end);
          expect(entitlementAt(state, r.end - 1, 'email').covered).toBe(true);
          if (r.start < r.coveredFrom) expect(entitlementAt(state, r.coveredFrom - 1, 'email').covered).toBe(false);
        }
        expect(entitlementAt(state, state.termEnd, 'email').covered).toBe(false);
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        expect(nextTimers(state, now).every((x, i, all) => i === 0 || (all[i - 1]?.at ?? 0) <= x.at)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
