import { describe, expect, it } from 'vitest';
import { CLAIM_HOLD_MS } from '../../../workflows/subscription/contract';
import { SubscriptionMachine } from '../../../workflows/subscription/subscription-machine';
import { perUser, t } from '../subscription/fixtures';

const machine = () =>
  SubscriptionMachine.resume({ kind: 'continue', state: perUser(), contactEmail: 'it@acme.test', claims: [], version: 1, run: 1 });
const phone = (m: SubscriptionMachine) => m.state.incidents.find((i) => i.channel === 'phone')?.count ?? 0;
const opened = t('2026-04-01T10:00');

describe('SubscriptionMachine: an incident is kept only by a ticket that started', () => {
  it('gives a failed start’s incident back once, and a later attempt for the same ticket counts it again', () => {
    const m = machine();
    expect(m.claim({ ticketId: 'T-1', channel: 'phone', at: opened }, opened, true)).toMatchObject({ incidentsRemaining: 4 });
    expect(phone(m)).toBe(1);
    expect(m.release({ ticketId: 'T-1', at: opened + 1 }, opened)).toBe(false);
    expect(m.release({ ticketId: 'T-1', at: opened }, opened)).toBe(true);
    expect(m.state.incidents).toEqual([]);
    expect(m.release({ ticketId: 'T-1', at: opened }, opened)).toBe(false);
    expect(m.claim({ ticketId: 'T-1', channel: 'phone', at: opened + 1 }, opened + 1, true)).toMatchObject({ incidentsRemaining: 4 });
    expect(phone(m)).toBe(1);
  });

  it('lets only the latest attempt release a claim retried with the same ticket id', () => {
    const m = machine();
    m.claim({ ticketId: 'T-1', channel: 'phone', at: opened }, opened, true);
    m.claim({ ticketId: 'T-1', channel: 'phone', at: opened + 9 }, opened + 9, true);
    expect(phone(m)).toBe(1);
    expect(m.release({ ticketId: 'T-1', at: opened }, opened + 10)).toBe(false);
    expect(m.release({ ticketId: 'T-1', at: opened + 9 }, opened + 10)).toBe(true);
    expect(phone(m)).toBe(0);
  });

  it('checks held claims after the hold: started tickets keep theirs, the others give them back', () => {
    const m = machine();
    m.claim({ ticketId: 'T-started', channel: 'phone', at: opened }, opened, true);
    m.claim({ ticketId: 'T-lost', channel: 'phone', at: opened }, opened + 1, true);
    m.claim({ ticketId: 'T-retried', channel: 'phone', at: opened }, opened + 2, true);
    expect(phone(m)).toBe(3);
    expect(m.nextClaimCheck()).toBe(opened + CLAIM_HOLD_MS);
    expect(m.heldClaimsDue(opened + CLAIM_HOLD_MS)).toEqual([{ ticketId: 'T-started', claimedAt: opened }]);
    const due = m.heldClaimsDue(opened + CLAIM_HOLD_MS + 2);
    expect(due.map((d) => d.ticketId)).toEqual(['T-started', 'T-lost', 'T-retried']);
    // Attempted again while the check ran: held for the next check, whatever the check found.
    m.claim({ ticketId: 'T-retried', channel: 'phone', at: opened + 3 }, opened + CLAIM_HOLD_MS + 3, true);
    m.settleHeldClaims(due, new Set(['T-started']), opened + CLAIM_HOLD_MS + 4);
    expect(phone(m)).toBe(2);
    expect(m.heldClaimsDue(opened + 3 * CLAIM_HOLD_MS).map((d) => d.ticketId)).toEqual(['T-retried']);
    expect(m.release({ ticketId: 'T-started', at: opened }, opened + CLAIM_HOLD_MS + 5)).toBe(false);
  });

  it('keeps every claim of a run recorded before incidents were held, and holds no refusal', () => {
    const m = machine();
    m.claim({ ticketId: 'T-old', channel: 'phone', at: opened }, opened, false);
    expect(m.nextClaimCheck()).toBeUndefined();
    expect(m.release({ ticketId: 'T-old', at: opened }, opened)).toBe(false);
    for (let i = 0; i < 4; i += 1) m.claim({ ticketId: `T-${i}`, channel: 'phone', at: opened }, opened, true);
    expect(m.claim({ ticketId: 'T-6', channel: 'phone', at: opened }, opened, true)).toMatchObject({ code: 'incident_cap_reached' });
    expect(m.release({ ticketId: 'T-6', at: opened }, opened)).toBe(false);
    expect(phone(m)).toBe(5);
  });
});
