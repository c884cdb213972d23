import { describe, expect, it } from 'vitest';
import { advance, lapse, purge, reinstate } from '../../../src/domain/subscription/index.js';
import type { SubscriptionState } from '../../../src/domain/subscription/index.js';
import { emailsOf, invoiceOf, iso, ok, perUser, refused, standard, t } from './fixtures.js';

function lapsed(state: SubscriptionState): SubscriptionState {
  return ok(lapse(state, state.termEnd)).state;
}

describe('reinstate', () => {
  it('backfills to the original expiry and charges the reinstatement fee (004)', () => {
    const { state, effects } = ok(reinstate(lapsed(perUser()), t('2027-04-10T11:00')));
    expect(iso(state.termStart)).toBe('2027-03-01T09:00');
    expect(iso(state.termEnd)).toBe('2028-03-01T09:00');
    expect(state.status).toBe('active');
    expect(state.lapsedAt).toBeNull();
    const invoice = invoiceOf(effects);
    expect(invoice.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['reinstatement-fee', 15_000],
      ['subscription', 54_000],
    ]);
    expect(invoice.totalMinor).toBe(69_000);
    expect(invoice.instalments).toEqual([{ dueAt: t('2027-04-10T11:00'), amountMinor: 69_000 }]);
    expect(effects.map((e) => e.type)).toEqual(['invoice', 'features-on', 'cancel-purge', 'email']);
    expect(state.termHistory.at(-1)).toEqual({
      kind: 'reinstatement',
      start: t('2027-03-01T09:00'),
      end: t('2028-03-01T09:00'),
      coveredFrom: t('2027-04-10T11:00'),
      yearsBilled: 1,
      recordedAt: t('2027-04-10T11:00'),
    });
  });

  it('charges the percentage surcharge on an expired assurance contract (002)', () => {
    const premium = standard({ planId: 'assurance-premium' });
    const invoice = invoiceOf(ok(reinstate(lapsed(premium), t('2027-03-15T09:00'))).effects);
    expect(invoice.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['subscription', 89_900],
      ['reinstatement-surcharge', 17_980],
    ]);
    expect(invoice.totalMinor).toBe(107_880);
  });

  it('bills every missed year when more than one term late; new end is the next anniversary after now', () => {
    const { state, effects } = ok(reinstate(lapsed(perUser()), t('2028-05-01T09:00')));
    expect(iso(state.termStart)).toBe('2028-03-01T09:00');
    expect(iso(state.termEnd)).toBe('2029-03-01T09:00');
    const invoice = invoiceOf(effects);
    expect(invoice.lines.map((l) => [l.kind, l.amountMinor, l.periodStart === undefined ? '-' : iso(l.periodStart)])).toEqual([
      ['reinstatement-fee', 15_000, '-'],
      ['subscription', 54_000, '2027-03-01T09:00'],
      ['subscription', 54_000, '2028-03-01T09:00'],
    ]);
    expect(invoice.totalMinor).toBe(123_000);
    expect(state.termHistory.at(-1)?.yearsBilled).toBe(2);
  });

  it('treats reinstatement exactly on an anniversary as the start of a further year', () => {
    const { state } = ok(reinstate(lapsed(perUser()), t('2028-03-01T09:00')));
    expect(iso(state.termEnd)).toBe('2029-03-01T09:00');
    expect(state.termHistory.at(-1)?.yearsBilled).toBe(2);
  });

  it('reinstated at the expiry instant itself leaves no gap', () => {
    const state = perUser();
    const { state: back } = ok(reinstate(lapsed(state), state.termEnd));
    expect(back.termHistory.at(-1)?.coveredFrom).toBe(state.termEnd);
    expect(iso(back.termEnd)).toBe('2028-03-01T09:00');
  });

  it('bills backfilled months at once and the rest monthly for monthly billing', () => {
    const invoice = invoiceOf(ok(reinstate(lapsed(perUser({ billingCycle: 'monthly' })), t('2027-04-10T11:00'))).effects);
    expect(invoice.totalMinor).toBe(75_000);
    expect(invoice.instalments[0]).toEqual({ dueAt: t('2027-04-10T11:00'), amountMinor: 15_000 + 2 * 5_000 });
    expect(invoice.instalments.slice(1).map((i) => [iso(i.dueAt), i.amountMinor])).toEqual(
      ['05', '06', '07', '08', '09', '10', '11', '12']
        .map((m) => [`2027-${m}-01T09:00`, 5_000])
        .concat([
          ['2028-01-01T09:00', 5_000],
          ['2028-02-01T09:00', 5_000],
        ]),
    );
  });

  it('reinstates a purged subscription without cancelling the purge that already happened', () => {
    const purged = ok(purge(lapsed(perUser()), t('2027-06-01T09:00'))).state;
    const { effects } = ok(reinstate(purged, t('2027-06-02T09:00')));
    expect(effects.map((e) => e.type)).toEqual(['invoice', 'features-on', 'email']);
    expect(emailsOf(effects)[0]?.data.backupsPurged).toBe('yes');
  });

  it('reinstates a subscription that ended by cancellation', () => {
    const cancelled = lapsed({ ...perUser(), cancelAtTermEnd: true });
    expect(cancelled.status).toBe('cancelled');
    expect(ok(reinstate(cancelled, t('2027-03-05T09:00'))).state.cancelAtTermEnd).toBe(false);
  });

  it('refuses while the subscription is running', () => {
    expect(refused(reinstate(perUser(), t('2026-08-01T09:00')), 'not_lapsed')).toBe(
      'subscription is active until 2027-03-01; renew it instead',
    );
  });

  it('skips reminders already in the past for the reinstated term', () => {
    const { state } = ok(reinstate(lapsed(perUser()), t('2028-02-10T09:00')));
    const after = advance(state, t('2028-02-10T09:00'));
    expect(after.effects).toEqual([]);
    expect(state.reminderKeysDone).toHaveLength(2);
  });
});
