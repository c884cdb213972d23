import { describe, expect, it } from 'vitest';
import type { TicketAction, TicketState } from '../../../src/domain/ticket/actions';
import { previewDeadlines } from '../../../src/domain/ticket/deadlines';
import { evolve } from '../../../src/domain/ticket/evolve';
import { decide } from '../../../src/domain/ticket/lifecycle';
import { calendarForPolicy } from '../../../src/domain/ticket/policy-calendar';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import { requestedCallbackAt } from '../../../src/domain/ticket/requested-callback';
import { clockVerdict, deadlineOf, startClockNotBefore, stop, warningInstants } from '../../../src/domain/ticket/sla-clock';
import { applyClockEffects, openingClocks, type ClockSet } from '../../../src/domain/ticket/ticket-clocks';
import { at, H, local } from './helpers';

/**
 * Seed 003, Premium Support: "leave a message with our support team, indicating the date/time/contact phone
 * to call you back, the nature of the issue, and someone will call you back within 2-4 hours". Hours: Monday
 * to Friday 9-13 and 14-18 Europe/Rome; 1 February 2027 is a Monday.
 */
const ROME = 'Europe/Rome';
const r = (s: string) => at(s, ROME);
const premium = getPolicyPreset('mailup-premium');
const calendar = calendarForPolicy(premium);
const phone = (callbackAt?: string): TicketAction => ({
  type: 'phone_message',
  callbackPhone: '+39 02 1234 5678',
  ...(callbackAt ? { callbackAt } : {}),
});
const answered: TicketState = { status: 'answered', policy: premium, priority: 'high', resolutionLevel: 'first', devTicketOpen: false };

function step(state: TicketState, clocks: ClockSet, action: TicketAction, now: number): { state: TicketState; clocks: ClockSet } {
  const d = decide(state, action, now);
  if (!d.ok) throw new Error(`${action.type} refused: ${d.reason}`);
  const ctx = { now, resolvePolicy: getPolicyPreset, calendarOf: calendarForPolicy };
  return { state: evolve(state, d, ctx), clocks: applyClockEffects(clocks, d.clockEffects, { ...ctx, terms: state }).clocks };
}

/** The callback's deadline and its warnings, in Rome time. */
function callback(clocks: ClockSet) {
  const clock = clocks.callback!;
  return {
    due: local(deadlineOf(clock, calendar)!, ROME),
    warnings: warningInstants(clock, calendar, premium.warnings.fractions, premium.warnings.basis).map((w) => local(w.at, ROME)),
  };
}

describe('003 the call back is not due before the time the customer asked for', () => {
  it('a message Monday 10:00 asking for Tuesday 16:30 is due then, warned 2 and 1 working hours before', () => {
    const plain = step(answered, {}, phone(), r('2027-02-01T10:00'));
    // The message alone: 10-13 and 14-15 are the 4 working hours.
    expect(callback(plain.clocks).due).toBe('2027-02-01T15:00:00.000+01:00');

    const asked = step(answered, {}, phone('2027-02-02T16:30:00+01:00'), r('2027-02-01T10:00'));
    expect(asked.state.callbackPending).toBe(true);
    expect(callback(asked.clocks)).toEqual({
      due: '2027-02-02T16:30:00.000+01:00',
      // 14:30-16:30 and 15:30-16:30 are 2 and 1 working hours, as 50 % and 75 % of 4 are on a plain call.
      warnings: ['2027-02-02T14:30:00.000+01:00', '2027-02-02T15:30:00.000+01:00'],
    });

    // A call already owed keeps its time: a second message cannot move it.
    const again = step(asked.state, asked.clocks, phone('2027-02-03T10:00:00+01:00'), r('2027-02-01T11:00'));
    expect(callback(again.clocks).due).toBe('2027-02-02T16:30:00.000+01:00');
  });

  it('a time earlier than the promise, or past, leaves the promise from the message', () => {
    const now = r('2027-02-01T10:00');
    for (const asked of ['2027-02-01T11:00:00+01:00', '2027-01-29T10:00:00+01:00']) {
      expect(callback(step(answered, {}, phone(asked), now).clocks).due).toBe('2027-02-01T15:00:00.000+01:00');
    }
    const past = decide(answered, phone('2027-01-29T10:00:00+01:00'), now);
    expect(past.ok && past.clockEffects).toContainEqual({ type: 'start', kind: 'callback' });
    const later = decide(answered, phone('2027-02-02T16:30:00+01:00'), now);
    expect(later.ok && later.clockEffects).toContainEqual({ type: 'start', kind: 'callback', notBefore: r('2027-02-02T16:30') });
  });

  it('a time outside the hours moves to the next opening: Wednesday 20:00 is due Thursday 09:00', () => {
    const evening = step(answered, {}, phone('2027-02-03T20:00:00+01:00'), r('2027-02-01T10:00'));
    expect(callback(evening.clocks)).toEqual({
      due: '2027-02-04T09:00:00.000+01:00',
      warnings: ['2027-02-03T16:00:00.000+01:00', '2027-02-03T17:00:00.000+01:00'],
    });
    const lunch = step(answered, {}, phone('2027-02-02T13:30:00+01:00'), r('2027-02-01T10:00'));
    expect(callback(lunch.clocks).due).toBe('2027-02-02T14:00:00.000+01:00');
  });

  it('a call before the time asked for keeps the promise; one after it is late', () => {
    const { clocks } = step(answered, {}, phone('2027-02-03T20:00:00+01:00'), r('2027-02-01T10:00'));
    const called = (t: number) => clockVerdict(stop(clocks.callback!, t), calendar, t);
    expect(called(r('2027-02-01T11:00'))).toBe('met');
    expect(called(r('2027-02-03T18:30'))).toBe('met');
    expect(called(r('2027-02-04T09:05'))).toBe('breached');
  });

  it('escalating while the call waits for its time moves neither its deadline nor its warnings', () => {
    const asked = step(answered, {}, phone('2027-02-02T16:30:00+01:00'), r('2027-02-01T10:00'));
    const escalated = step(asked.state, asked.clocks, { type: 'escalate' }, r('2027-02-01T12:00'));
    expect(escalated.state.resolutionLevel).toBe('second');
    expect(callback(escalated.clocks)).toEqual(callback(asked.clocks));
  });

  it('a phone ticket opened with fields.callbackAt owes its call then, and the API preview says so', () => {
    const openedAt = r('2027-02-01T10:00');
    const callbackAt = requestedCallbackAt('2027-02-02T16:30:00+01:00', openedAt);
    const clocks = openingClocks(answered, openedAt, { phoneMessage: true, ...(callbackAt ? { callbackAt } : {}) }, calendar);
    expect(callback(clocks).due).toBe('2027-02-02T16:30:00.000+01:00');
    const preview = previewDeadlines(premium, 'high', openedAt, { includePhoneCallback: true, ...(callbackAt ? { callbackAt } : {}) });
    expect(preview.items.find((i) => i.kind === 'phone_callback')).toMatchObject({
      dueAt: r('2027-02-02T16:30'),
      text: 'phone callback due Tue 2 Feb 2027 16:30 Europe/Rome',
    });
  });

  it('on a wall-clock target the time asked for is kept as is, the warnings before it', () => {
    const t0 = r('2027-02-06T10:00');
    const clock = startClockNotBefore('callback', { ms: 4 * H, clock: 'wall' }, t0, t0 + 10 * H, calendar);
    expect(deadlineOf(clock, calendar)).toBe(t0 + 10 * H);
    expect(warningInstants(clock, calendar, [0.5, 0.75]).map((w) => w.at)).toEqual([t0 + 8 * H, t0 + 9 * H]);
  });

  it('reads only an instant with an offset, later than now', () => {
    const now = r('2027-02-01T10:00');
    expect(requestedCallbackAt('2027-02-02T15:30:00Z', now)).toBe(r('2027-02-02T16:30'));
    for (const text of ['2027-02-02T16:30', '2027-02-02', 'tomorrow at ten', 42, undefined]) {
      expect(requestedCallbackAt(text, now)).toBeUndefined();
    }
  });
});
