import { describe, expect, it } from 'vitest';
import { advance, cancelAtTermEnd, lapse, nextTimers, purge, reminderSchedule } from '../../../src/domain/subscription/index.js';
import { emailsOf, invoiceOf, iso, ok, perUser, refused, standard, t } from './fixtures.js';

describe('reminderSchedule', () => {
  it('reminds 60, 30 and 7 calendar days before expiry at the expiry local time', () => {
    expect(reminderSchedule(standard()).map((r) => [r.offsetDays, iso(r.at)])).toEqual([
      [60, '2026-12-31T09:00'],
      [30, '2027-01-30T09:00'],
      [7, '2027-02-22T09:00'],
    ]);
  });

  it('keeps local time across a DST change (reminder in winter, expiry in summer)', () => {
    const state = standard({ startAt: t('2026-05-15T09:00') });
    const [r60] = reminderSchedule(state);
    expect(iso(r60?.at ?? 0)).toBe('2027-03-16T09:00');
    expect(state.termEnd - (r60?.at ?? 0)).toBe(60 * 86_400_000 - 3_600_000);
  });

  it('lists only future reminders when given now, and identifies each by (termEnd, offset)', () => {
    const state = standard();
    const future = reminderSchedule(state, [60, 30, 7], t('2027-01-01T00:00'));
    expect(future.map((r) => r.offsetDays)).toEqual([30, 7]);
    expect(future[0]?.key).toBe(`${state.termEnd}:30`);
  });

  it('accepts custom offsets', () => {
    expect(reminderSchedule(standard(), [14, 1]).map((r) => iso(r.at))).toEqual(['2027-02-15T09:00', '2027-02-28T09:00']);
  });
});

describe('advance: reminders and status', () => {
  it('sends each reminder once per term', () => {
    const first = advance(standard(), t('2026-12-31T09:00'));
    expect(emailsOf(first.effects).map((e) => [e.template, e.data.offsetDays])).toEqual([['renewal-reminder', 60]]);
    expect(advance(first.state, t('2026-12-31T09:00')).effects).toEqual([]);
    expect(advance(first.state, t('2027-01-15T09:00')).effects).toEqual([]);
  });

  it('sends only the latest reminder after sleeping through several', () => {
    const { state, effects } = advance(standard(), t('2027-02-01T00:00'));
    expect(emailsOf(effects).map((e) => e.data.offsetDays)).toEqual([30]);
    expect(reminderSchedule(state).map((r) => r.offsetDays)).toEqual([7]);
  });

  it('marks the subscription expiring from the last (7-day) reminder', () => {
    expect(advance(standard(), t('2027-02-22T08:59')).state.status).toBe('active');
    expect(advance(standard(), t('2027-02-22T09:00')).state.status).toBe('expiring');
  });

  it('sends reminders again for the renewed term (2028 is a leap year)', () => {
    const first = advance(standard(), t('2027-02-22T09:00'));
    const renewed = advance({ ...first.state, autoRenew: true }, t('2027-03-01T09:00'));
    expect(reminderSchedule(renewed.state).map((r) => iso(r.at))).toEqual(['2028-01-01T09:00', '2028-01-31T09:00', '2028-02-23T09:00']);
  });
});

describe('lapse', () => {
  it('refuses one millisecond before expiry and lapses at the exact instant', () => {
    const state = perUser();
    expect(refused(lapse(state, state.termEnd - 1), 'not_yet_expired')).toBe('support runs until Mon 1 Mar 2027 09:00 Europe/Berlin');
    const { state: lapsed, effects } = ok(lapse(state, state.termEnd));
    expect(lapsed.status).toBe('lapsed');
    expect(lapsed.lapsedAt).toBe(state.termEnd);
    expect(effects[0]).toEqual({
      type: 'features-off',
      features: [
        'softphone-app',
        'remote-portal',
        'off-site-phones',
        'integrations',
        'add-extensions',
        'software-updates',
        'admin-notifications',
        'config-backup',
      ],
    });
    expect(effects[1]).toEqual({ type: 'schedule-purge', at: t('2027-05-30T09:00') });
    expect(emailsOf(effects)[0]?.template).toBe('subscription-lapsed');
  });

  it('dates the lapse at the expiry even when the workflow wakes late', () => {
    const state = perUser();
    expect(ok(lapse(state, t('2027-03-04T12:00'))).state.lapsedAt).toBe(state.termEnd);
  });

  it('ends as cancelled when the customer asked to cancel at term end', () => {
    const cancelling = ok(cancelAtTermEnd(perUser(), t('2026-10-01T09:00')));
    expect(emailsOf(cancelling.effects)[0]?.template).toBe('cancellation-scheduled');
    expect(ok(cancelAtTermEnd(cancelling.state, t('2026-10-02T09:00'))).effects).toEqual([]);
    const { state, effects } = ok(lapse(cancelling.state, t('2027-03-01T09:00')));
    expect(state.status).toBe('cancelled');
    expect(emailsOf(effects)[0]?.template).toBe('subscription-cancelled');
  });

  it('refuses to lapse twice', () => {
    const lapsed = ok(lapse(perUser(), t('2027-03-01T09:00'))).state;
    expect(refused(lapse(lapsed, t('2027-03-02T09:00')), 'not_active')).toBe('subscription is already lapsed');
  });
});

describe('purge', () => {
  it('purges configuration backups after the retention period, not before', () => {
    const lapsed = ok(lapse(perUser(), t('2027-03-01T09:00'))).state;
    expect(refused(purge(lapsed, t('2027-05-30T08:59')), 'not_yet_due')).toBe(
      'configuration backups are kept until Sun 30 May 2027 09:00 Europe/Berlin',
    );
    const { state, effects } = ok(purge(lapsed, t('2027-05-30T09:00')));
    expect(state.status).toBe('purged');
    expect(state.purgeAt).toBeNull();
    expect(effects.map((e) => e.type)).toEqual(['purge-config-backups', 'email']);
    expect(emailsOf(effects)[0]?.template).toBe('config-backups-purged');
  });

  it('refuses for a running subscription', () => {
    refused(purge(perUser(), t('2027-06-01T09:00')), 'not_lapsed');
  });
});

describe('advance: expiry', () => {
  it('lapses at expiry and purges after retention in one catch-up call', () => {
    const { state, effects } = advance(perUser(), t('2027-06-01T00:00'));
    expect(state.status).toBe('purged');
    expect(effects.map((e) => e.type)).toEqual(['features-off', 'schedule-purge', 'email', 'purge-config-backups', 'email']);
  });

  it('renews automatically at expiry when auto-renew is on', () => {
    const { state, effects } = advance(perUser({ autoRenew: true }), t('2027-03-01T09:00'));
    expect(state.status).toBe('active');
    expect(iso(state.termEnd)).toBe('2028-03-01T09:00');
    expect(invoiceOf(effects).totalMinor).toBe(54_000);
  });

  it('does not continue automatically once cancel-at-term-end is set', () => {
    const cancelling = ok(cancelAtTermEnd(perUser({ autoRenew: true }), t('2026-09-01T09:00'))).state;
    expect(advance(cancelling, t('2027-03-01T09:00')).state.status).toBe('cancelled');
  });

  it('is a no-op when nothing is due', () => {
    const state = perUser();
    expect(advance(state, t('2026-05-01T09:00'))).toEqual({ ok: true, state, effects: [] });
  });
});

describe('nextTimers', () => {
  it('lists reminders and expiry with human summaries in the subscription zone', () => {
    expect(nextTimers(standard(), t('2026-03-01T09:00')).map((x) => [x.kind, x.summary, x.dueNow])).toEqual([
      ['renewal-reminder', 'renewal reminder (60 days) due Thu 31 Dec 2026 09:00 Europe/Berlin', false],
      ['renewal-reminder', 'renewal reminder (30 days) due Sat 30 Jan 2027 09:00 Europe/Berlin', false],
      ['renewal-reminder', 'renewal reminder (7 days) due Mon 22 Feb 2027 09:00 Europe/Berlin', false],
      ['expiry', 'subscription expiry due Mon 1 Mar 2027 09:00 Europe/Berlin', false],
    ]);
  });

  it('renders summaries in the zone carried by the state', () => {
    const state = standard({ timeZone: 'America/New_York', startAt: t('2026-03-01T09:00', 'America/New_York') });
    expect(nextTimers(state, 0).at(-1)?.summary).toBe('subscription expiry due Mon 1 Mar 2027 09:00 America/New_York');
  });

  it('drops sent reminders and flags overdue work', () => {
    const state = advance(standard(), t('2027-01-30T09:00')).state;
    expect(nextTimers(state, t('2027-03-01T10:00')).map((x) => [x.kind, x.dueNow])).toEqual([
      ['renewal-reminder', true],
      ['expiry', true],
    ]);
  });

  it('announces automatic renewal instead of expiry', () => {
    expect(nextTimers(perUser({ autoRenew: true }), 0).at(-1)?.summary).toBe('automatic renewal due Mon 1 Mar 2027 09:00 Europe/Berlin');
  });

  it('lists the purge after a lapse and nothing once purged', () => {
    const lapsed = ok(lapse(perUser(), t('2027-03-01T09:00'))).state;
    expect(nextTimers(lapsed, t('2027-03-01T09:00'))).toEqual([
      {
        at: t('2027-05-30T09:00'),
        kind: 'purge',
        key: `purge:${t('2027-05-30T09:00')}`,
        summary: 'configuration backup purge due Sun 30 May 2027 09:00 Europe/Berlin',
        dueNow: false,
      },
    ]);
    expect(nextTimers(ok(purge(lapsed, t('2027-06-01T09:00'))).state, t('2027-06-01T09:00'))).toEqual([]);
  });
});
