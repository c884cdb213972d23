import { describe, expect, it } from 'vitest';
import type { TicketAction, TicketState } from '../../../src/domain/ticket/actions';
import { evolve } from '../../../src/domain/ticket/evolve';
import { decide } from '../../../src/domain/ticket/lifecycle';
import { calendarForPolicy } from '../../../src/domain/ticket/policy-calendar';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import { applyClockEffects, dueInstants, openingClocks, type ClockSet } from '../../../src/domain/ticket/ticket-clocks';
import type { SideEffect } from '../../../src/domain/ticket/actions';
import { at, local } from './helpers';

/** A miniature of what the ticket workflow does with each event: decide, evolve the state, move the clocks. */
class Ticket {
  clocks: ClockSet;
  sideEffects: SideEffect[] = [];

  constructor(
    public state: TicketState,
    openedAt: number,
  ) {
    this.clocks = openingClocks(state, openedAt);
  }

  apply(action: TicketAction, now: number): this {
    const decision = decide(this.state, action, now);
    if (!decision.ok) throw new Error(`${action.type} refused: ${decision.reason}`);
    const moved = applyClockEffects(this.clocks, decision.clockEffects, {
      now,
      terms: this.state,
      resolvePolicy: getPolicyPreset,
      calendarOf: calendarForPolicy,
    });
    this.clocks = moved.clocks;
    this.state = evolve(this.state, decision, { now, resolvePolicy: getPolicyPreset, calendarOf: calendarForPolicy });
    expect({ policy: this.state.policy.id, priority: this.state.priority, level: this.state.resolutionLevel }).toEqual({
      policy: moved.terms.policy.id,
      priority: moved.terms.priority,
      level: moved.terms.resolutionLevel,
    });
    this.sideEffects.push(...decision.sideEffects);
    return this;
  }

  due(zone: string): Record<string, string> {
    const due = dueInstants(this.clocks, calendarForPolicy(this.state.policy));
    return Object.fromEntries(Object.entries(due).map(([k, t]) => [k, local(t, zone)]));
  }
}

describe('003 MailUp ticket from opening to follow-up', () => {
  const ROME = 'Europe/Rome';
  const r = (s: string) => at(s, ROME);
  const open = () =>
    new Ticket(
      { status: 'new', policy: getPolicyPreset('mailup-standard'), priority: 'normal', resolutionLevel: 'first', devTicketOpen: false },
      r('2026-11-20T12:30'),
    );

  it('runs every clock through response, escalation, waiting, resolution, auto-close and reopen', () => {
    const t = open();
    expect(t.due(ROME)).toEqual({ first_response: '2026-11-20T17:30:00.000+01:00', resolution: '2026-11-23T12:30:00.000+01:00' });

    t.apply({ type: 'respond' }, r('2026-11-20T14:30'));
    expect(t.state.status).toBe('answered');
    expect(t.clocks.first_response?.stoppedAt).toBe(r('2026-11-20T14:30'));

    // Second level: 32 working hours from the opening, the 4 already used stay used.
    t.apply({ type: 'escalate' }, r('2026-11-23T10:00'));
    expect(t.due(ROME)).toEqual({ resolution: '2026-11-26T12:30:00.000+01:00' });

    // Waiting Monday 11:00 → Tuesday 11:00 pauses 8 working hours (Mon 11–13, 14–18, Tue 9–11).
    t.apply({ type: 'request_info' }, r('2026-11-23T11:00'));
    expect(t.due(ROME)).toEqual({});
    t.apply({ type: 'customer_reply' }, r('2026-11-24T11:00'));
    expect(t.state.status).toBe('escalated');
    expect(t.due(ROME)).toEqual({ resolution: '2026-11-27T12:30:00.000+01:00', next_reply: '2026-11-24T16:00:00.000+01:00' });

    t.apply({ type: 'dev_resolved' }, r('2026-11-26T09:00'));
    expect(t.state).toMatchObject({ status: 'in_progress', devTicketOpen: false });

    t.apply({ type: 'resolve', kind: 'solution' }, r('2026-11-27T10:00'));
    expect(t.due(ROME)).toEqual({});
    // Auto-close after 5 working days, reopen within 10; 8 Dec (Immacolata) is not a working day.
    expect(local(t.state.autoCloseAt!, ROME)).toBe('2026-12-04T10:00:00.000+01:00');
    expect(local(t.state.reopenUntil!, ROME)).toBe('2026-12-14T10:00:00.000+01:00');

    t.apply({ type: 'close', by: 'system' }, t.state.autoCloseAt!);
    expect(t.state.status).toBe('closed');
    expect(decide(t.state, { type: 'customer_reply' }, r('2026-12-10T09:00'))).toMatchObject({ ok: true, outcome: 'follow_up' });

    t.apply({ type: 'reopen' }, r('2026-12-14T10:00'));
    expect(t.state.status).toBe('in_progress');
    expect(t.state.reopenUntil).toBeUndefined();
    // 29.5 of 32 working hours were used when it was resolved; 2.5 remain from Monday 10:00.
    expect(t.due(ROME)).toEqual({ resolution: '2026-12-14T12:30:00.000+01:00', next_reply: '2026-12-14T15:00:00.000+01:00' });
  });

  it('refuses a reopen one millisecond after the window', () => {
    const t = open();
    t.apply({ type: 'resolve', kind: 'workaround' }, r('2026-11-27T10:00'));
    const d = decide(t.state, { type: 'reopen' }, t.state.reopenUntil! + 1);
    expect(d).toMatchObject({ ok: false, code: 'reopen_window_passed' });
  });
});

describe('001 priority change keeps used time', () => {
  it('normal → high three business hours in', () => {
    const BERLIN = 'Europe/Berlin';
    const t = new Ticket(
      { status: 'new', policy: getPolicyPreset('smartwork-emea'), priority: 'normal', resolutionLevel: 'first', devTicketOpen: false },
      at('2026-11-23T10:00', BERLIN),
    );
    expect(t.due(BERLIN)).toEqual({
      first_response: '2026-11-23T18:00:00.000+01:00',
      resolution: '2026-11-27T18:00:00.000+01:00',
      periodic_update: '2026-11-24T18:00:00.000+01:00',
    });
    // 3 business hours used of each clock: 1 of 4 remains, 13 of 16, 5 of 8.
    t.apply({ type: 'change_priority', priority: 'high' }, at('2026-11-23T13:00', BERLIN));
    expect(t.state.priority).toBe('high');
    expect(t.due(BERLIN)).toEqual({
      first_response: '2026-11-23T14:00:00.000+01:00',
      resolution: '2026-11-24T18:00:00.000+01:00',
      periodic_update: '2026-11-23T18:00:00.000+01:00',
    });
  });
});

describe('000 emergency ticket', () => {
  const PHX = 'America/Phoenix';
  const p = (s: string) => at(s, PHX);
  // Bought at the catalog's $349, refundable on a downgrade (the preset catalog's terms).
  const open = (openedAt = p('2026-12-25T03:00')) =>
    new Ticket(
      {
        status: 'new',
        policy: getPolicyPreset('smartertools-emergency'),
        priority: 'urgent',
        resolutionLevel: 'first',
        devTicketOpen: false,
        emergency: 'active',
        product: { product: 'SmarterMail', version: '100.0.9000' },
        sale: { charged: { amountMinor: 34_900, currency: 'USD' }, refundOnDowngrade: true },
      },
      openedAt,
    );

  it('answered within the hour on Christmas night, then continues in business hours (after the holiday) once mitigated', () => {
    const t = open();
    expect(t.due(PHX)).toEqual({ first_response: '2026-12-25T04:00:00.000-07:00' });
    t.apply({ type: 'respond' }, p('2026-12-25T03:40'));
    t.apply({ type: 'customer_reply' }, p('2026-12-25T03:50'));
    expect(t.due(PHX)).toEqual({ next_reply: '2026-12-25T04:50:00.000-07:00' });

    t.apply({ type: 'mark_mitigated' }, p('2026-12-25T04:30'));
    expect(t.state).toMatchObject({ status: 'mitigated', emergency: 'mitigated', priority: 'urgent' });
    expect(t.state.policy.id).toBe('smartertools-standard');
    // The pending reply: its 40 wall minutes fell in closed hours, so none of urgent standard's 2 business
    // hours is used; Christmas is a US holiday, so they run from Monday's opening.
    expect(t.due(PHX)).toEqual({ next_reply: '2026-12-28T10:00:00.000-07:00' });

    t.apply({ type: 'respond' }, p('2026-12-28T09:00'));
    t.apply({ type: 'customer_reply' }, p('2026-12-28T16:30'));
    expect(t.due(PHX)).toEqual({ next_reply: '2026-12-29T09:30:00.000-07:00' });
    expect(t.sideEffects.some((e) => e.type === 'refund')).toBe(false);
  });

  it('a downgrade refunds $349 and moves the pending first response onto standard hours', () => {
    const t = open();
    t.apply({ type: 'downgrade_emergency' }, p('2026-12-25T03:20'));
    expect(t.sideEffects).toContainEqual({ type: 'refund', amount: { amountMinor: 34_900, currency: 'USD' } });
    expect(t.state).toMatchObject({ status: 'new', emergency: 'downgraded', priority: 'normal' });
    // The 20 wall minutes on Christmas night were never business time (a US holiday): 8 business hours
    // from Monday's 08:00 opening.
    expect(t.due(PHX)).toEqual({ first_response: '2026-12-28T16:00:00.000-07:00' });
    expect(decide(t.state, { type: 'mark_mitigated' }, p('2026-12-25T04:00'))).toMatchObject({ ok: false, code: 'already_downgraded' });
  });

  // 000: "After the critical issue is addressed, emergency tickets are handled during business hours."
  it('resolved on Christmas Eve night, a reply at 02:00 on Christmas Day is owed on business hours, not at 03:00', () => {
    const t = open(p('2026-12-24T22:00'));
    t.apply({ type: 'respond' }, p('2026-12-24T22:20'));
    t.apply({ type: 'resolve', kind: 'workaround' }, p('2026-12-24T23:00'));
    // The windows are the emergency policy's, the one the ticket was resolved on: 14 wall-clock days.
    expect(local(t.state.reopenUntil!, PHX)).toBe('2027-01-07T23:00:00.000-07:00');

    t.apply({ type: 'customer_reply' }, p('2026-12-25T02:00'));
    expect(t.state).toMatchObject({ status: 'in_progress', emergency: 'mitigated', priority: 'urgent' });
    expect(t.state.policy.id).toBe('smartertools-standard');
    // Urgent standard's 2 business hours: Christmas is a US holiday, then a weekend, so from Monday's 08:00.
    expect(t.due(PHX)).toEqual({ next_reply: '2026-12-28T10:00:00.000-07:00' });
    // Addressed is not refunded: the $349 stays non-refundable, and the emergency cannot be downgraded now.
    expect(t.sideEffects.some((e) => e.type === 'refund')).toBe(false);
    expect(decide(t.state, { type: 'downgrade_emergency' }, p('2026-12-28T09:00'))).toMatchObject({ ok: false, code: 'already_mitigated' });
  });

  it('closed after the emergency was resolved, a staff reopen on a weeknight is owed from the next opening', () => {
    const t = open(p('2027-03-02T01:00'));
    t.apply({ type: 'respond' }, p('2027-03-02T01:30'));
    t.apply({ type: 'resolve', kind: 'solution' }, p('2027-03-02T02:00'));
    const autoClose = t.state.autoCloseAt!;
    expect(local(autoClose, PHX)).toBe('2027-03-09T02:00:00.000-07:00');
    t.apply({ type: 'close', by: 'system' }, autoClose);

    t.apply({ type: 'reopen' }, p('2027-03-10T21:00'));
    expect(t.state).toMatchObject({ status: 'in_progress', emergency: 'mitigated', priority: 'urgent' });
    expect(t.due(PHX)).toEqual({ next_reply: '2027-03-11T10:00:00.000-07:00' });
  });
});
