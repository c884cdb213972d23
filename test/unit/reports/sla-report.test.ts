import { describe, expect, it } from 'vitest';
import { compileCalendar, getCalendarPreset } from '../../../src/domain/calendar/index';
import { getPolicyPreset } from '../../../src/domain/ticket/index';
import {
  checkRange,
  percentile,
  percentMet,
  promisedClocks,
  reportRow,
  timeToMeetMs,
  toCsv,
  type MetClock,
} from '../../../src/reports/sla-report';

const at = (iso: string) => Date.parse(iso);
const mailup = getPolicyPreset('mailup-standard');
// Mon-Fri 9-13 and 14-18 Europe/Rome: 08-12 and 13-17 UTC in early March (CET).
const italy = compileCalendar(getCalendarPreset('split-day-italy')!);
const met = (startedAt: string, stoppedAt: string, pauses: MetClock['pauses'] = []): MetClock => ({
  policyId: mailup.id,
  policyVersion: mailup.version,
  priority: 'normal',
  startedAt: at(startedAt),
  stoppedAt: at(stoppedAt),
  pauses,
});

describe('time to meet', () => {
  it('counts business hours only, across the lunch break and the night', () => {
    // Mon 12:00 → 15:30 Rome: 12-13 and 14-15:30 = 2.5 h.
    expect(timeToMeetMs('first_response', met('2025-03-03T11:00:00Z', '2025-03-03T14:30:00Z'), mailup, italy)).toBe(9_000_000);
    // Mon 17:30 → Tue 10:00 Rome: 0.5 h + 1 h.
    expect(timeToMeetMs('first_response', met('2025-03-03T16:30:00Z', '2025-03-04T09:00:00Z'), mailup, italy)).toBe(5_400_000);
  });

  it('leaves out the pauses of a pausable clock and ignores them on one that never pauses', () => {
    const pause = [{ start: at('2025-03-03T15:00:00Z'), end: at('2025-03-04T08:30:00Z') }];
    const clock = met('2025-03-03T11:00:00Z', '2025-03-04T09:00:00Z', pause);
    // 6 business hours in all, of which Mon 16-18 and Tue 9-9:30 Rome were waiting on the customer.
    expect(timeToMeetMs('resolution_first_level', clock, mailup, italy)).toBe(12_600_000);
    expect(timeToMeetMs('first_response', clock, mailup, italy)).toBe(21_600_000);
  });

  it('treats an open pause (resolved while waiting) as lasting to the stop', () => {
    const clock = met('2025-03-03T11:00:00Z', '2025-03-04T09:00:00Z', [{ start: at('2025-03-03T13:00:00Z') }]);
    expect(timeToMeetMs('resolution_first_level', clock, mailup, italy)).toBe(3_600_000);
  });

  it('refuses a clock the policy does not promise', () => {
    expect(() => timeToMeetMs('callback', met('2025-03-03T11:00:00Z', '2025-03-03T12:00:00Z'), mailup, italy)).toThrow(
      /promises no callback/,
    );
  });
});

describe('what a policy promises', () => {
  it('lists the clocks with a target at the priority', () => {
    expect(promisedClocks(mailup, 'normal')).toEqual(['first_response', 'next_reply', 'resolution_first_level', 'resolution_second_level']);
    expect(promisedClocks(getPolicyPreset('mailup-premium'), 'high')).toContain('callback');
    expect(promisedClocks(mailup, 'urgent')).toEqual([]);
  });
});

describe('figures', () => {
  it('percentiles by nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([1, 2], 50)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });

  it('% met over the decided clocks, pending left out', () => {
    expect(percentMet(2, 1)).toBe(66.67);
    expect(percentMet(0, 0)).toBeNull();
    const row = reportRow({ group: 'p', clock: 'first_response', count: 4, met: 2, breached: 1, pending: 1 }, [3_900, 1_200]);
    expect(row).toMatchObject({ percentMet: 66.67, p50Seconds: 1, p90Seconds: 3 });
  });

  it('range: from before to, at most 366 days', () => {
    expect(checkRange(at('2025-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'))?.code).toBeUndefined();
    expect(checkRange(at('2025-01-01T00:00:00Z'), at('2026-01-02T00:00:01Z'))?.code).toBe('report_range_too_long');
    expect(checkRange(at('2025-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z'))?.code).toBe('report_range_inverted');
  });

  it('CSV: a header row, quoting, empty for null, formulas defused', () => {
    const rows = [
      reportRow({ group: 'a,b', clock: 'next_reply', count: 1, met: 0, breached: 0, pending: 1 }, []),
      reportRow({ group: '=cmd', clock: 'callback', count: 1, met: 1, breached: 0, pending: 0 }, [61_000]),
    ];
    expect(toCsv(rows).split('\r\n')).toEqual([
      'group,clock,count,met,breached,pending,percent_met,p50_seconds,p90_seconds',
      '"a,b",next_reply,1,0,0,1,,,',
      "'=cmd,callback,1,1,0,0,100,61,61",
      '',
    ]);
  });
});
