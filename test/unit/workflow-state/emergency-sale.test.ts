import { patched } from '@temporalio/workflow';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { decide, type Decision, type SideEffect, type TicketAction, type TicketState } from '../../../src/domain/ticket/core';
import type { OpenTicketInput, TicketPurchase } from '../../../workflows/ticket/contract';
import { DOWNGRADE_REFUND_PATCH, EMERGENCY_REOPEN_PATCH, emergencyAsRecorded } from '../../../workflows/ticket/emergency-as-recorded';
import { TicketMachine } from '../../../workflows/ticket/ticket-machine';
import { TicketMail } from '../../../workflows/ticket/ticket-mail';
import { at, ticketInput } from '../../support/ticket-input';

// patched() answers as a replay would: false for a history recorded before the rule, true for a new run.
vi.mock('@temporalio/workflow', async (actual) => ({ ...(await actual<object>()), patched: vi.fn() }));
const patches = vi.mocked(patched);

/** 000: an emergency ticket bought on 2 March 2027 at 01:00 Phoenix, on the catalog's terms given. */
const phx = (local: string) => at(local, 'America/Phoenix');
function bought(terms: Pick<TicketPurchase, 'amountMinor' | 'refundOnDowngrade'>): OpenTicketInput {
  const purchase: TicketPurchase = {
    chargeKey: 'ticket:T-1:purchase',
    product: 'Emergency 24x7 Support ticket',
    currency: 'USD',
    paymentReference: 'pi_1',
    catalogVersion: 1,
    ...terms,
  };
  return ticketInput('smartertools-emergency', phx('2027-03-02T01:00'), {
    fields: { product: 'SmarterMail', productVersion: '100.0.9000' },
    purchase,
  });
}
const refunds = (effects: SideEffect[]) => effects.filter((e) => e.type === 'refund');
const accepted = (d: Decision) => {
  if (!d.ok) throw new Error(`refused: ${d.code}`);
  return d;
};

function downgrade(input: OpenTicketInput) {
  const m = new TicketMachine(input);
  const t = phx('2027-03-02T01:20');
  const effects = m.apply(m.decide({ type: 'downgrade_emergency' }, t), t);
  const mail = new TicketMail(input, m).forAction('downgrade', { agent: 'oncall', reason: 'a licensing question' }, 'k', t)!;
  return { effects, mail };
}

describe('000: the sale decides a downgrade’s refund', () => {
  it('refundable: the refund is what was charged, and the mail says so', () => {
    const { effects, mail } = downgrade(bought({ amountMinor: 29_900, refundOnDowngrade: true }));
    expect(refunds(effects)).toEqual([{ type: 'refund', amount: { amountMinor: 29_900, currency: 'USD' } }]);
    expect(mail.subject).toMatch(/Emergency fee refunded$/);
    expect(mail.text).toContain('the $299.00 you paid for Emergency 24x7 Support ticket (payment pi_1) is refunded');
  });

  it('non-refundable: no refund, and the mail promises none', () => {
    const { effects, mail } = downgrade(bought({ amountMinor: 34_900, refundOnDowngrade: false }));
    expect(refunds(effects)).toEqual([]);
    expect(mail.subject).toMatch(/Continued as standard support$/);
    expect(mail.text).not.toMatch(/refunded/);
    expect(mail.text).toContain('is not refundable');
  });

  it('a run resumed from a snapshot taken before the state carried the sale gets it from its input', () => {
    const input = bought({ amountMinor: 34_900, refundOnDowngrade: false });
    const { sale: _none, ...before } = new TicketMachine(input).s.state;
    const resumed = new TicketMachine({ ...input, resume: { ...new TicketMachine(input).s, state: before } });
    expect(resumed.s.state.sale).toEqual({ charged: { amountMinor: 34_900, currency: 'USD' }, refundOnDowngrade: false });
  });
});

describe('replay of a history recorded before these rules (patched false) decides as then', () => {
  beforeEach(() => patches.mockReset());
  const now = phx('2027-03-03T02:00');
  const asRecorded = (state: TicketState, action: TicketAction) => emergencyAsRecorded(state, action, now, decide(state, action, now));
  /** Answered, and resolved where `resolve` says so, on a sale of `amountMinor` refundable as given. */
  const ticket = (amountMinor: number, refundOnDowngrade: boolean, resolve = false) => {
    const m = new TicketMachine(bought({ amountMinor, refundOnDowngrade }));
    const steps: TicketAction[] = [{ type: 'respond' }, ...(resolve ? [{ type: 'resolve', kind: 'solution' } as const] : [])];
    for (const action of steps) m.apply(m.decide(action, phx('2027-03-02T01:20')), phx('2027-03-02T01:20'));
    return m.s.state;
  };

  it('a resolved emergency picked up again stays on the 24/7 policy, unpatched; patched, it moves to the fallback', () => {
    patches.mockReturnValue(false);
    expect(asRecorded(ticket(34_900, true, true), { type: 'customer_reply' })).toEqual({
      ok: true,
      outcome: 'transition',
      next: 'in_progress',
      clockEffects: [
        { type: 'resume', kind: 'resolution' },
        { type: 'start', kind: 'next_reply' },
        { type: 'restart', kind: 'periodic_update' },
        { type: 'cancel_auto_close' },
      ],
      sideEffects: [],
    });
    expect(patches).toHaveBeenCalledWith(EMERGENCY_REOPEN_PATCH);
    patches.mockReturnValue(true);
    const reopened = accepted(asRecorded(ticket(34_900, true, true), { type: 'reopen' }));
    expect(reopened.sideEffects).toContainEqual({ type: 'switch_policy', policyId: 'smartertools-standard' });
  });

  it('a downgrade refunded the policy’s $349 whatever the sale said, unpatched', () => {
    patches.mockReturnValue(false);
    const old = accepted(asRecorded(ticket(29_900, false), { type: 'downgrade_emergency' }));
    expect(refunds(old.sideEffects)).toEqual([{ type: 'refund', amount: { amountMinor: 34_900, currency: 'USD' } }]);
    expect(patches).toHaveBeenCalledWith(DOWNGRADE_REFUND_PATCH);
    patches.mockReturnValue(true);
    expect(refunds(accepted(asRecorded(ticket(29_900, false), { type: 'downgrade_emergency' })).sideEffects)).toEqual([]);
  });

  it('records no marker where the rules decide as before', () => {
    expect(refunds(accepted(asRecorded(ticket(34_900, true), { type: 'downgrade_emergency' })).sideEffects)).toHaveLength(1);
    asRecorded(ticket(34_900, true), { type: 'customer_reply' });
    asRecorded(ticket(34_900, true, true), { type: 'assign', assignee: 'eve' });
    expect(patches).not.toHaveBeenCalled();
  });
});
