import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessTimeBetween } from '../../../src/domain/calendar/index';
import { priorityTargets, resolutionTarget } from '../../../src/domain/ticket/policy';
import { calendarForPolicy } from '../../../src/domain/ticket/policy-calendar';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import {
  clockVerdict,
  consumedMs,
  deadlineOf,
  instantAfter,
  isPaused,
  pause,
  remainingMs,
  resume,
  retarget,
  startClock,
  stop,
  warningInstants,
  type SlaClock,
} from '../../../src/domain/ticket/sla-clock';
import { at, H, local, MIN } from './helpers';

const BERLIN = 'Europe/Berlin';
const emea = getPolicyPreset('smartwork-emea');
const emeaCal = calendarForPolicy(emea);
const b = (s: string) => at(s, BERLIN);

/** smartwork-emea, normal: resolution 5 business days (40 h) from Monday 23 Nov 10:00 → Friday 18:00. */
const resolutionClock = (): SlaClock => startClock('resolution', resolutionTarget(emea, 'normal', 'first')!, b('2026-11-23T10:00'));

describe('pause and resume', () => {
  it('waiting on the customer moves the resolution deadline by exactly the paused business time', () => {
    const running = resolutionClock();
    const before = deadlineOf(running, emeaCal)!;
    expect(local(before, BERLIN)).toBe('2026-11-27T18:00:00.000+01:00');

    const paused = pause(running, b('2026-11-24T15:00'));
    expect(isPaused(paused)).toBe(true);
    expect(deadlineOf(paused, emeaCal)).toBeUndefined();

    const resumed = resume(paused, b('2026-11-25T12:00'));
    const after = deadlineOf(resumed, emeaCal)!;
    // Tuesday 15–18 and Wednesday 10–12: five business hours.
    expect(businessTimeBetween(emeaCal, b('2026-11-24T15:00'), b('2026-11-25T12:00'))).toBe(5 * H);
    expect(local(after, BERLIN)).toBe('2026-11-30T15:00:00.000+01:00');
    expect(businessTimeBetween(emeaCal, before, after)).toBe(5 * H);
  });

  it('a pause entirely outside business hours changes nothing', () => {
    const resumed = resume(pause(resolutionClock(), b('2026-11-24T18:30')), b('2026-11-25T09:30'));
    expect(local(deadlineOf(resumed, emeaCal)!, BERLIN)).toBe('2026-11-27T18:00:00.000+01:00');
  });

  it('response clocks never pause', () => {
    const fr = startClock('first_response', priorityTargets(emea, 'normal').firstResponse, b('2026-11-23T10:00'));
    expect(pause(fr, b('2026-11-23T11:00'))).toBe(fr);
    const nr = startClock('next_reply', priorityTargets(emea, 'normal').nextReply, b('2026-11-23T10:00'));
    expect(pause(nr, b('2026-11-23T11:00'))).toBe(nr);
  });

  it('pausing twice or resuming a running clock is a no-op', () => {
    const paused = pause(resolutionClock(), b('2026-11-24T15:00'));
    expect(pause(paused, b('2026-11-24T16:00'))).toBe(paused);
    const running = resolutionClock();
    expect(resume(running, b('2026-11-24T16:00'))).toBe(running);
  });

  it('a wall-clock resolution target is extended by the paused wall time', () => {
    const t0 = Date.parse('2026-11-21T00:00:00Z');
    let clock = startClock('resolution', { ms: 10 * H, clock: 'wall' }, t0);
    clock = resume(pause(clock, t0 + 2 * H), t0 + 5 * H);
    expect(deadlineOf(clock, emeaCal)).toBe(t0 + 13 * H);
    expect(consumedMs(clock, emeaCal, t0 + 6 * H)).toBe(3 * H);
    expect(remainingMs(clock, emeaCal, t0 + 6 * H)).toBe(7 * H);
  });

  it('consumed time: business hours only, paused time excluded, frozen while paused', () => {
    const paused = pause(resolutionClock(), b('2026-11-24T15:00'));
    expect(consumedMs(paused, emeaCal, b('2026-11-24T12:00'))).toBe(10 * H);
    expect(consumedMs(paused, emeaCal, b('2026-11-26T12:00'))).toBe(13 * H);
    const resumed = resume(paused, b('2026-11-25T12:00'));
    expect(consumedMs(resumed, emeaCal, b('2026-11-25T14:00'))).toBe(15 * H);
    expect(remainingMs(resumed, emeaCal, b('2026-11-25T14:00'))).toBe(25 * H);
  });
});

describe('stop, reopen and verdicts', () => {
  it('stopping freezes consumption; met and breached are judged against the deadline', () => {
    const clock = startClock('first_response', priorityTargets(emea, 'high').firstResponse, b('2026-11-23T10:00'));
    const met = stop(clock, b('2026-11-23T14:00'));
    expect(consumedMs(met, emeaCal, b('2026-11-30T00:00'))).toBe(4 * H);
    expect(clockVerdict(met, emeaCal, b('2026-11-30T00:00'))).toBe('met');
    const late = stop(clock, b('2026-11-23T14:01'));
    expect(clockVerdict(late, emeaCal, b('2026-11-30T00:00'))).toBe('breached');
    expect(clockVerdict(clock, emeaCal, b('2026-11-23T13:59'))).toBe('running');
    expect(clockVerdict(clock, emeaCal, b('2026-11-23T14:01'))).toBe('breached');
    expect(clockVerdict(pause(resolutionClock(), b('2026-11-23T11:00')), emeaCal, b('2026-11-23T12:00'))).toBe('paused');
  });

  it('stopping while paused closes the pause; stopping twice keeps the first stop', () => {
    const stopped = stop(pause(resolutionClock(), b('2026-11-24T15:00')), b('2026-11-24T17:00'));
    expect(stopped.pauses).toEqual([{ start: b('2026-11-24T15:00'), end: b('2026-11-24T17:00') }]);
    expect(stop(stopped, b('2026-11-25T17:00'))).toBe(stopped);
    expect(warningInstants(stopped, emeaCal, [0.75])).toEqual([]);
  });

  it('reopening resumes a stopped resolution clock where it stood: the resolved period does not count', () => {
    const resolved = stop(resolutionClock(), b('2026-11-24T12:00'));
    const reopened = resume(resolved, b('2026-11-26T12:00'));
    expect(reopened.stoppedAt).toBeUndefined();
    expect(consumedMs(reopened, emeaCal, b('2026-11-26T12:00'))).toBe(10 * H);
    // 30 h left from Thursday 12:00: Thu 6, Fri 8, Mon 8, Tue 8 → Tuesday 18:00.
    expect(local(deadlineOf(reopened, emeaCal)!, BERLIN)).toBe('2026-12-01T18:00:00.000+01:00');
  });
});

describe('retarget: time already used stays used', () => {
  const opened = b('2026-11-23T10:00');
  const fr = startClock('first_response', priorityTargets(emea, 'normal').firstResponse, opened);

  it('normal → high after 3 business hours: 1 hour of the new 4 remains', () => {
    const { clock, dueAt } = retarget(fr, emeaCal, emeaCal, priorityTargets(emea, 'high').firstResponse, b('2026-11-23T13:00'));
    expect(local(dueAt!, BERLIN)).toBe('2026-11-23T14:00:00.000+01:00');
    expect(deadlineOf(clock, emeaCal)).toBe(dueAt);
    expect(consumedMs(clock, emeaCal, b('2026-11-23T13:30'))).toBe(3.5 * H);
    expect(clock.startedAt).toBe(opened);
  });

  it('normal → urgent after more than the urgent target: due at the moment of the change', () => {
    const change = b('2026-11-23T13:00');
    const { clock, dueAt } = retarget(fr, emeaCal, emeaCal, priorityTargets(emea, 'urgent').firstResponse, change);
    expect(dueAt).toBe(change);
    expect(remainingMs(clock, emeaCal, change)).toBe(-1 * H);
    expect(clockVerdict(clock, emeaCal, change + 1)).toBe('breached');
  });

  it('resolution normal → low on Tuesday 11:00: 71 of 80 business hours remain', () => {
    const { dueAt } = retarget(resolutionClock(), emeaCal, emeaCal, resolutionTarget(emea, 'low', 'first')!, b('2026-11-24T11:00'));
    expect(local(dueAt!, BERLIN)).toBe('2026-12-04T18:00:00.000+01:00');
  });

  describe('across calendars (000 mitigated or downgraded): wall time used counts only where the business calendar was open', () => {
    const emergency = getPolicyPreset('smartertools-emergency');
    const standard = getPolicyPreset('smartertools-standard');
    const phx = (s: string) => at(s, 'America/Phoenix');
    const move = (opened: number, changed: number) =>
      retarget(
        startClock('first_response', emergency.priorities.urgent!.firstResponse, opened),
        calendarForPolicy(emergency),
        calendarForPolicy(standard),
        standard.priorities.normal!.firstResponse,
        changed,
      );

    it('20 wall minutes at 03:00, before the 08:00 opening, used nothing: 8 business hours from 08:00', () => {
      expect(local(move(phx('2026-12-22T03:00'), phx('2026-12-22T03:20')).dueAt!, 'America/Phoenix')).toBe('2026-12-22T16:00:00.000-07:00');
    });

    it('20 wall minutes from 08:00 were business time: they stay used, 7 h 40 min remain from 08:20', () => {
      const moved = move(phx('2026-12-22T08:00'), phx('2026-12-22T08:20'));
      expect(consumedMs(moved.clock, calendarForPolicy(standard), phx('2026-12-22T08:20'))).toBe(20 * MIN);
      expect(local(moved.dueAt!, 'America/Phoenix')).toBe('2026-12-22T16:00:00.000-07:00');
    });

    it('exact to the millisecond: 98 ms of closed time do not shorten the business deadline', () => {
      const opened = phx('2026-12-22T03:40');
      expect(move(opened, opened + 98).dueAt).toBe(phx('2026-12-22T16:00'));
    });
  });

  it('warnings already passed before the change are not repeated', () => {
    const { clock } = retarget(fr, emeaCal, emeaCal, priorityTargets(emea, 'high').firstResponse, b('2026-11-23T13:00'));
    // 75 % of 4 h = 3 h, already used at the change; 90 % = 3.6 h → 13:36.
    expect(warningInstants(clock, emeaCal, [0.75, 0.9]).map((w) => [w.fraction, local(w.at, BERLIN)])).toEqual([
      [0.9, '2026-11-23T13:36:00.000+01:00'],
    ]);
  });

  it('a paused clock stays paused across a retarget and counts the new terms once resumed', () => {
    const paused = pause(resolutionClock(), b('2026-11-24T11:00'));
    const { clock, dueAt } = retarget(paused, emeaCal, emeaCal, resolutionTarget(emea, 'high', 'first')!, b('2026-11-24T15:00'));
    expect(dueAt).toBeUndefined();
    const resumed = resume(clock, b('2026-11-25T10:00'));
    // 9 h used, 7 h of high's 16 remain from Wednesday 10:00.
    expect(local(deadlineOf(resumed, emeaCal)!, BERLIN)).toBe('2026-11-25T17:00:00.000+01:00');
  });

  it('a stopped clock keeps its verdict', () => {
    const met = stop(fr, b('2026-11-23T12:00'));
    expect(retarget(met, emeaCal, emeaCal, priorityTargets(emea, 'urgent').firstResponse, b('2026-11-23T13:00')).clock).toBe(met);
  });
});

describe('instantAfter (auto-close, reopen window)', () => {
  it('counts business targets on the calendar and wall targets on the clock', () => {
    expect(local(instantAfter(emea.autoCloseAfter, emeaCal, b('2026-11-23T10:00')), BERLIN)).toBe('2026-11-27T18:00:00.000+01:00');
    const t = b('2026-11-21T10:00');
    expect(instantAfter({ ms: 90 * MIN, clock: 'wall' }, emeaCal, t)).toBe(t + 90 * MIN);
  });
});

describe('properties', () => {
  const day0 = b('2026-11-23T00:00');
  const instant = fc.integer({ min: 0, max: 21 * 24 * 60 }).map((m) => day0 + m * MIN);
  const pauseSpan = fc.tuple(instant, fc.integer({ min: 0, max: 3 * 24 * 60 })).map(([s, len]) => ({ start: s, end: s + len * MIN }));
  const target = fc.integer({ min: 1, max: 80 * 60 }).map((m) => ({ ms: m * MIN, clock: 'business' as const }));

  it('at the deadline, exactly the target has been consumed', () => {
    fc.assert(
      fc.property(instant, target, fc.array(pauseSpan, { maxLength: 3 }), (start, t, pauses) => {
        const clock: SlaClock = { ...startClock('resolution', t, start), pauses: pauses.filter((p) => p.start >= start) };
        const deadline = deadlineOf(clock, emeaCal)!;
        expect(consumedMs(clock, emeaCal, deadline)).toBe(t.ms);
      }),
      { numRuns: 150 },
    );
  });

  it('retargeting to the same target on the same calendar never moves the deadline', () => {
    fc.assert(
      fc.property(instant, target, fc.integer({ min: 0, max: 10 * 24 * 60 }), (start, t, afterMin) => {
        const clock = startClock('resolution', t, start);
        const change = start + afterMin * MIN;
        const { dueAt } = retarget(clock, emeaCal, emeaCal, t, change);
        const original = deadlineOf(clock, emeaCal)!;
        // Once the original deadline has passed, the retargeted clock is due at the change instead.
        expect(dueAt).toBe(change < original ? original : change);
      }),
      { numRuns: 150 },
    );
  });

  it('a pause moves the deadline by exactly its business time (when it starts before the deadline)', () => {
    fc.assert(
      fc.property(
        instant,
        target,
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        (start, t, offMin, lenMin) => {
          const clock = startClock('resolution', t, start);
          const before = deadlineOf(clock, emeaCal)!;
          const from = start + offMin * MIN;
          fc.pre(from < before);
          const to = from + lenMin * MIN;
          const after = deadlineOf(resume(pause(clock, from), to), emeaCal)!;
          expect(businessTimeBetween(emeaCal, before, after)).toBe(businessTimeBetween(emeaCal, from, to));
        },
      ),
      { numRuns: 150 },
    );
  });
});
