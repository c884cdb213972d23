import { describe, expect, it } from 'vitest';
import type { Decision, TicketAction, TicketState } from '../../../src/domain/ticket/actions';
import { evolve } from '../../../src/domain/ticket/evolve';
import { decide } from '../../../src/domain/ticket/lifecycle';
import { calendarForPolicy } from '../../../src/domain/ticket/policy-calendar';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import { validateTicketFields } from '../../../src/domain/ticket/required-fields';
import { deadlineOf, isPausable, warningInstants } from '../../../src/domain/ticket/sla-clock';
import { applyClockEffects, callbackPending, dueInstants, openingClocks, type ClockSet } from '../../../src/domain/ticket/ticket-clocks';
import { at, local } from './helpers';

/**
 * Seed 003, Premium Support: "You will have to leave a message with our support team, indicating the
 * date/time/contact phone to call you back, the nature of the issue, and someone will call you back within
 * 2-4 hours." Hours: Monday to Friday, 9-13 and 14-18 (calendar split-day-italy).
 */
const ROME = 'Europe/Rome';
const r = (s: string) => at(s, ROME);
const premium = getPolicyPreset('mailup-premium');
const standard = getPolicyPreset('mailup-standard');
const calendar = calendarForPolicy(premium);
const PHONE: TicketAction = { type: 'phone_message', callbackPhone: '+39 02 1234 5678' };

function premiumTicket(overrides: Partial<TicketState> = {}): TicketState {
  return { status: 'new', policy: premium, priority: 'high', resolutionLevel: 'first', devTicketOpen: false, ...overrides };
}

/** decide, evolve, move the clocks: what the workflow does with each action. */
function step(
  state: TicketState,
  clocks: ClockSet,
  action: TicketAction,
  now: number,
): { state: TicketState; clocks: ClockSet; d: Decision } {
  const d = decide(state, action, now);
  if (!d.ok) throw new Error(`${action.type} refused: ${d.reason}`);
  const moved = applyClockEffects(clocks, d.clockEffects, {
    now,
    terms: state,
    resolvePolicy: getPolicyPreset,
    calendarOf: calendarForPolicy,
  });
  const next = evolve(state, d, { now, resolvePolicy: getPolicyPreset, calendarOf: calendarForPolicy });
  // The state's flag and the clock it mirrors never disagree.
  expect(Boolean(next.callbackPending)).toBe(callbackPending(moved.clocks));
  return { state: next, clocks: moved.clocks, d };
}

const due = (clocks: ClockSet) => Object.fromEntries(Object.entries(dueInstants(clocks, calendar)).map(([k, t]) => [k, local(t, ROME)]));

describe('003 phone callback clock', () => {
  it('a phone ticket opened Friday 16:30 owes its call back Monday 11:30, warned at 2 and 3 working hours', () => {
    const clocks = openingClocks(premiumTicket(), r('2027-01-22T16:30'), { phoneMessage: true });
    const callback = clocks.callback!;
    expect(callback.target).toEqual({ ms: 4 * 3_600_000, clock: 'business' });
    // Friday 16:30-18:00 is 1.5 working hours, Monday 09:00-11:30 the other 2.5.
    expect(local(deadlineOf(callback, calendar)!, ROME)).toBe('2027-01-25T11:30:00.000+01:00');
    const warnings = warningInstants(callback, calendar, premium.warnings.fractions, premium.warnings.basis);
    expect(warnings.map((w) => [w.fraction, local(w.at, ROME)])).toEqual([
      [0.5, '2027-01-25T09:30:00.000+01:00'],
      [0.75, '2027-01-25T10:30:00.000+01:00'],
    ]);
  });

  it('starts only for a phone message under a policy that promises a call back', () => {
    const openedAt = r('2027-01-22T16:30');
    expect(openingClocks(premiumTicket(), openedAt).callback).toBeUndefined();
    const standardTerms = { ...premiumTicket(), policy: standard, priority: 'normal' as const };
    expect(openingClocks(standardTerms, openedAt, { phoneMessage: true }).callback).toBeUndefined();
  });

  it('a phone message joining an email ticket starts it; a second message keeps the first deadline', () => {
    const openedAt = r('2027-02-01T09:00');
    let t = { state: premiumTicket(), clocks: openingClocks(premiumTicket(), openedAt) };
    t = step(t.state, t.clocks, { type: 'respond' }, r('2027-02-01T09:10'));
    expect(t.state.callbackPending).toBeUndefined();
    t = step(t.state, t.clocks, PHONE, r('2027-02-01T12:00'));
    expect(t.state).toMatchObject({ status: 'in_progress', callbackPending: true });
    // 12:00-13:00, then 14:00-17:00: lunch does not count.
    expect(due(t.clocks)).toMatchObject({ callback: '2027-02-01T17:00:00.000+01:00', next_reply: '2027-02-01T17:00:00.000+01:00' });
    t = step(t.state, t.clocks, PHONE, r('2027-02-01T15:00'));
    expect(due(t.clocks).callback).toBe('2027-02-01T17:00:00.000+01:00');
  });

  it('the call back is a reply by phone: it stops the callback and answers the first response', () => {
    const openedAt = r('2027-01-22T16:30');
    const clocks = openingClocks(premiumTicket(), openedAt, { phoneMessage: true });
    const t = step(premiumTicket({ callbackPending: true }), clocks, { type: 'callback' }, r('2027-01-25T10:00'));
    expect(t.d).toMatchObject({ next: 'answered' });
    expect(t.clocks.callback?.stoppedAt).toBe(r('2027-01-25T10:00'));
    expect(t.clocks.first_response?.stoppedAt).toBe(r('2027-01-25T10:00'));
    expect(due(t.clocks)).toEqual({ resolution: '2027-01-25T16:30:00.000+01:00' });
    expect(decide(t.state, { type: 'callback' }, r('2027-01-25T10:01'))).toMatchObject({ ok: false, code: 'no_callback_pending' });
  });

  it('an email reply leaves the call owed, waiting on the customer does not pause it, a resolution ends it', () => {
    const clocks = openingClocks(premiumTicket(), r('2027-01-22T16:30'), { phoneMessage: true });
    let t = step(premiumTicket({ callbackPending: true }), clocks, { type: 'respond' }, r('2027-01-22T16:40'));
    expect(due(t.clocks).callback).toBe('2027-01-25T11:30:00.000+01:00');
    expect(isPausable('callback')).toBe(false);
    t = step(t.state, t.clocks, { type: 'request_info' }, r('2027-01-22T16:50'));
    expect(due(t.clocks).callback).toBe('2027-01-25T11:30:00.000+01:00');
    t = step(t.state, t.clocks, { type: 'resolve', kind: 'solution' }, r('2027-01-22T17:00'));
    expect(t.state.callbackPending).toBeUndefined();
    expect(t.clocks.callback?.stoppedAt).toBe(r('2027-01-22T17:00'));
  });

  it('new terms without a call back promise end the clock', () => {
    const clocks = openingClocks(premiumTicket(), r('2027-01-22T16:30'), { phoneMessage: true });
    const state = premiumTicket({ callbackPending: true });
    const d: Decision = {
      ok: true,
      outcome: 'transition',
      next: 'new',
      clockEffects: [{ type: 'retarget', policyId: 'mailup-standard', priority: 'normal', resolutionLevel: 'first' }],
      sideEffects: [{ type: 'switch_policy', policyId: 'mailup-standard' }],
    };
    const ctx = { now: r('2027-01-25T09:00'), resolvePolicy: getPolicyPreset, calendarOf: calendarForPolicy };
    expect(applyClockEffects(clocks, d.clockEffects, { ...ctx, terms: state }).clocks.callback?.stoppedAt).toBe(ctx.now);
    expect(evolve(state, d, ctx).callbackPending).toBeUndefined();
  });

  it('a phone message on a policy that serves the phone without a call back promise is a plain customer message', () => {
    const state: TicketState = {
      ...premiumTicket({ status: 'answered' }),
      policy: getPolicyPreset('smartertools-standard'),
      priority: 'normal',
    };
    expect(decide(state, PHONE, r('2027-02-01T12:00'))).toEqual(decide(state, { type: 'customer_reply' }, r('2027-02-01T12:00')));
  });

  // 003: the phone line "is reserved for Premium Support subscribers only".
  it('a Standard ticket takes no phone message', () => {
    const state: TicketState = { ...premiumTicket({ status: 'answered' }), policy: standard, priority: 'normal' };
    expect(decide(state, PHONE, r('2027-02-01T12:00'))).toMatchObject({ ok: false, code: 'phone_not_served' });
  });

  it('a policy pinned before channels were policy data serves every channel, the phone included', () => {
    const { channels: _none, ...unlisted } = standard;
    const state: TicketState = { ...premiumTicket({ status: 'answered' }), policy: unlisted, priority: 'normal' };
    expect(decide(state, PHONE, r('2027-02-01T12:00'))).toMatchObject({ ok: true, next: 'in_progress' });
  });

  it('a closed ticket, or a resolved one past its reopen window, takes no phone message', () => {
    const now = r('2027-02-01T12:00');
    expect(decide(premiumTicket({ status: 'closed' }), PHONE, now)).toMatchObject({ ok: false, code: 'ticket_closed' });
    expect(decide(premiumTicket({ status: 'resolved', reopenUntil: now - 1 }), PHONE, now)).toMatchObject({
      ok: false,
      code: 'reopen_window_passed',
    });
    expect(decide(premiumTicket({ status: 'resolved', reopenUntil: now + 1 }), PHONE, now)).toMatchObject({
      ok: true,
      next: 'in_progress',
      clockEffects: expect.arrayContaining([{ type: 'start', kind: 'callback' }]),
    });
  });
});

describe('003 the number to call back is required on phone tickets', () => {
  it('is asked for on the phone channel only, as policy data', () => {
    expect(validateTicketFields(premium, {}, 'phone')).toEqual([
      { path: ['fields', 'callbackPhone'], message: 'Phone number to call back is required by MailUp Premium Support' },
    ]);
    expect(validateTicketFields(premium, {}, 'email')).toEqual([]);
    expect(validateTicketFields(premium, {})).toEqual([]);
    expect(validateTicketFields(premium, { callbackPhone: '+39 02 1234 5678' }, 'phone')).toEqual([]);
    expect(validateTicketFields(premium, { callbackPhone: 'call me' }, 'phone')).toEqual([
      { path: ['fields', 'callbackPhone'], message: 'Phone number to call back must be a phone number such as +39 02 1234 5678' },
    ]);
    expect(validateTicketFields(standard, {}, 'phone')).toEqual([]);
  });
});
