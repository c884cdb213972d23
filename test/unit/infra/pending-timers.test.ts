import { msToTs } from '@temporalio/common/lib/time';
import { describe, expect, it } from 'vitest';
import { pendingTimers } from '../../support/pending-timers';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const at = (ms: number) => ({ eventTime: msToTs(ms) });
const started = (id: string, when: number, fireIn: number) => ({
  ...at(when),
  timerStartedEventAttributes: { timerId: id, startToFireTimeout: msToTs(fireIn) },
});

describe('pendingTimers (the model test ends its advances clear of these)', () => {
  it('gives the instants of the timers neither fired nor cancelled, counted from their TimerStarted event', () => {
    const events = [
      started('1', T0, 60_000),
      started('2', T0 + 1_000, 3_600_000),
      { ...at(T0 + 60_000), timerFiredEventAttributes: { timerId: '1' } },
      started('3', T0 + 60_500, 7_200_000),
      { ...at(T0 + 61_000), timerCanceledEventAttributes: { timerId: '2' } },
      started('4', T0 + 61_000, 90_000),
    ];
    expect(pendingTimers({ events }).sort((a, b) => a - b)).toEqual([T0 + 61_000 + 90_000, T0 + 60_500 + 7_200_000]);
  });

  it('holds none for a history without timers', () => {
    expect(pendingTimers({ events: [] })).toEqual([]);
    expect(pendingTimers({})).toEqual([]);
  });
});
