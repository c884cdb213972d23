import { describe, expect, it } from 'vitest';
import { businessTimeBetween } from '../../../src/domain/calendar/index';
import { priorityTargets, resolutionTarget } from '../../../src/domain/ticket/policy';
import { calendarForPolicy } from '../../../src/domain/ticket/policy-calendar';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import { deadlineOf, startClock, warningInstants } from '../../../src/domain/ticket/sla-clock';
import type { ClockKind, Priority } from '../../../src/domain/ticket/types';
import { at, local } from './helpers';

/** Deadline of a fresh clock for a policy preset, shown in the policy's own zone. */
function due(policyId: string, priority: Priority, kind: ClockKind, openedLocal: string, level: 'first' | 'second' = 'first'): string {
  const policy = getPolicyPreset(policyId);
  const target =
    kind === 'resolution'
      ? resolutionTarget(policy, priority, level)
      : kind === 'first_response'
        ? priorityTargets(policy, priority).firstResponse
        : priorityTargets(policy, priority).nextReply;
  if (!target) throw new Error(`${policyId} has no ${kind} target`);
  const clock = startClock(kind, target, at(openedLocal, policy.zone));
  const deadline = deadlineOf(clock, calendarForPolicy(policy));
  if (deadline === undefined) throw new Error('paused');
  return local(deadline, policy.zone);
}

describe('000 SmarterTools emergency: one hour, 24/7/365', () => {
  it('a ticket opened 03:00 on Christmas Day (Phoenix) is due 04:00', () => {
    expect(due('smartertools-emergency', 'urgent', 'first_response', '2026-12-25T03:00')).toBe('2026-12-25T04:00:00.000-07:00');
  });

  it('the same in UTC, on a Sunday night and across New Year', () => {
    const policy = getPolicyPreset('smartertools-emergency');
    const cal = calendarForPolicy(policy);
    for (const opened of ['2026-12-25T03:00:00Z', '2026-11-22T23:59:00Z', '2026-12-31T23:30:00Z']) {
      const t = Date.parse(opened);
      expect(deadlineOf(startClock('first_response', policy.priorities.urgent!.firstResponse, t), cal)).toBe(t + 3_600_000);
    }
  });

  it('warns at half and three quarters of the hour, on the wall clock', () => {
    const policy = getPolicyPreset('smartertools-emergency');
    const opened = at('2026-12-25T03:00', 'America/Phoenix');
    const clock = startClock('first_response', policy.priorities.urgent!.firstResponse, opened);
    const warnings = warningInstants(clock, calendarForPolicy(policy), policy.warnings.fractions, policy.warnings.basis);
    expect(warnings.map((w) => local(w.at, 'America/Phoenix'))).toEqual(['2026-12-25T03:30:00.000-07:00', '2026-12-25T03:45:00.000-07:00']);
  });

  it('standard tickets are answered in (assumed) Phoenix business hours, 08–17', () => {
    expect(due('smartertools-standard', 'urgent', 'first_response', '2026-12-26T10:00')).toBe('2026-12-28T10:00:00.000-07:00');
    expect(due('smartertools-standard', 'high', 'first_response', '2026-11-23T15:00')).toBe('2026-11-24T10:00:00.000-07:00');
  });

  // 000: "Problems occur in the middle of the night, on weekends and on holidays": standard hours exclude holidays.
  it('a standard ticket opened on Christmas Day (Friday) is due the next business day, Monday 16:00', () => {
    expect(due('smartertools-standard', 'normal', 'first_response', '2026-12-25T03:00')).toBe('2026-12-28T16:00:00.000-07:00');
  });

  it('4 July 2027 is a Sunday: the observed holiday, Monday 5 July, is closed too', () => {
    // Friday 15-17 is 2 business hours; the other 6 fall on Tuesday 08-14.
    expect(due('smartertools-standard', 'normal', 'first_response', '2027-07-02T15:00')).toBe('2027-07-06T14:00:00.000-07:00');
  });
});

describe('001 smartwork: regional hours minus Munich public holidays', () => {
  it('an EMEA ticket opened the evening before Epiphany (Bavarian holiday) is due after it', () => {
    expect(due('smartwork-emea', 'high', 'first_response', '2026-01-05T19:00')).toBe('2026-01-07T14:00:00.000+01:00');
    expect(due('smartwork-emea', 'normal', 'first_response', '2026-01-05T19:00')).toBe('2026-01-07T18:00:00.000+01:00');
  });

  it('the evening before Corpus Christi (Thu 4 Jun 2026) → Friday', () => {
    expect(due('smartwork-emea', 'urgent', 'first_response', '2026-06-03T17:30')).toBe('2026-06-05T11:30:00.000+02:00');
  });

  it('USA hours are New York 9–17, and the Munich holidays apply there too', () => {
    expect(due('smartwork-usa', 'high', 'first_response', '2026-01-05T18:00')).toBe('2026-01-07T13:00:00.000-05:00');
    expect(due('smartwork-usa', 'high', 'first_response', '2026-11-23T15:00')).toBe('2026-11-24T11:00:00.000-05:00');
  });

  it('resolution: five business days at normal priority, twenty once development is involved', () => {
    expect(due('smartwork-emea', 'normal', 'resolution', '2026-11-23T10:00')).toBe('2026-11-27T18:00:00.000+01:00');
    expect(due('smartwork-emea', 'normal', 'resolution', '2026-11-23T10:00', 'second')).toBe('2026-12-18T18:00:00.000+01:00');
  });
});

describe('002 E-MetroTel tiers', () => {
  it('Standard "24-hour response" is one 9–5 business day: exactly 24 h on a weekday', () => {
    expect(due('emetrotel-standard', 'normal', 'first_response', '2026-11-23T10:00')).toBe('2026-11-24T10:00:00.000-06:00');
  });

  it('Standard: a Friday ticket is due Monday, a Saturday ticket at Monday close', () => {
    expect(due('emetrotel-standard', 'normal', 'first_response', '2026-11-20T10:00')).toBe('2026-11-23T10:00:00.000-06:00');
    expect(due('emetrotel-standard', 'urgent', 'first_response', '2026-11-21T10:00')).toBe('2026-11-23T17:00:00.000-06:00');
  });

  it('Premium: 4 hours of the 7–7 weekday', () => {
    expect(due('emetrotel-premium', 'normal', 'first_response', '2026-11-20T17:00')).toBe('2026-11-23T09:00:00.000-06:00');
    expect(due('emetrotel-premium', 'normal', 'first_response', '2026-11-23T08:15')).toBe('2026-11-23T12:15:00.000-06:00');
  });

  it('Premium Plus: 2 hours around the clock, weekends included', () => {
    expect(due('emetrotel-premium-plus', 'urgent', 'first_response', '2026-11-21T23:30')).toBe('2026-11-22T01:30:00.000-06:00');
  });
});

describe('003 MailUp: 9–13 / 14–18, 4 working hours, 1 / 4 working days', () => {
  it('a ticket opened Friday 12:30 is due Friday 17:30 (the 13–14 lunch does not count)', () => {
    expect(due('mailup-standard', 'normal', 'first_response', '2026-11-20T12:30')).toBe('2026-11-20T17:30:00.000+01:00');
  });

  it('opened Friday 17:00 → Monday 12:00; opened during lunch → counts from 14:00', () => {
    expect(due('mailup-standard', 'normal', 'first_response', '2026-11-20T17:00')).toBe('2026-11-23T12:00:00.000+01:00');
    expect(due('mailup-premium', 'high', 'first_response', '2026-11-23T13:20')).toBe('2026-11-23T18:00:00.000+01:00');
  });

  it('resolution: 1 working day (8 h) first level, 4 working days (32 h) second level', () => {
    expect(due('mailup-standard', 'normal', 'resolution', '2026-11-20T12:30')).toBe('2026-11-23T12:30:00.000+01:00');
    expect(due('mailup-standard', 'normal', 'resolution', '2026-11-20T12:30', 'second')).toBe('2026-11-26T12:30:00.000+01:00');
  });

  it('Italian public holidays do not count: 8 Dec 2026 (Immacolata) is skipped', () => {
    expect(due('mailup-standard', 'normal', 'first_response', '2026-12-07T16:00')).toBe('2026-12-09T11:00:00.000+01:00');
  });

  it('a warning at 75 % falls after 3 working hours; counted on the wall clock instead it falls earlier', () => {
    const policy = getPolicyPreset('mailup-standard');
    const cal = calendarForPolicy(policy);
    const clock = startClock('first_response', policy.priorities.normal!.firstResponse, at('2026-11-20T12:30', 'Europe/Rome'));
    expect(warningInstants(clock, cal, [0.75]).map((w) => local(w.at, 'Europe/Rome'))).toEqual(['2026-11-20T16:30:00.000+01:00']);
    expect(warningInstants(clock, cal, [0.75], 'wall').map((w) => local(w.at, 'Europe/Rome'))).toEqual(['2026-11-20T16:15:00.000+01:00']);
    const deadline = deadlineOf(clock, cal)!;
    expect(businessTimeBetween(cal, clock.startedAt, deadline)).toBe(4 * 3_600_000);
  });
});
