import { describe, expect, it } from 'vitest';
import { clockChanges, ClockChange } from '../../../workflows/ticket/clock-changes';

describe('clock changes between two recorded versions of a ticket', () => {
  it('names each change with the due instants before and after', () => {
    const changes = clockChanges(
      {
        first_response: { state: 'running', startedAt: 0, dueAt: 10 },
        resolution: { state: 'running', startedAt: 0, dueAt: 100 },
        periodic_update: { state: 'paused', startedAt: 0, remainingMs: 5 },
        next_reply: { state: 'running', startedAt: 0, dueAt: 50 },
      },
      {
        first_response: { state: 'stopped', startedAt: 0, dueAt: 10 },
        resolution: { state: 'running', startedAt: 0, dueAt: 200 },
        periodic_update: { state: 'running', startedAt: 0, dueAt: 60 },
        next_reply: { state: 'running', startedAt: 40, dueAt: 90 },
        callback: { state: 'running', startedAt: 40, dueAt: 70 },
      },
    );
    expect(changes).toEqual([
      { clock: 'first_response', change: ClockChange.Stopped, fromDueAt: 10 },
      { clock: 'next_reply', change: ClockChange.Restarted, fromDueAt: 50, toDueAt: 90 },
      { clock: 'periodic_update', change: ClockChange.Resumed, toDueAt: 60 },
      { clock: 'resolution', change: ClockChange.Retargeted, fromDueAt: 100, toDueAt: 200 },
      { clock: 'callback', change: ClockChange.Started, toDueAt: 70 },
    ]);
    expect(
      clockChanges(
        { resolution: { state: 'running', startedAt: 0, dueAt: 9 } },
        { resolution: { state: 'paused', startedAt: 0, remainingMs: 4 } },
      ),
    ).toEqual([{ clock: 'resolution', change: ClockChange.Paused, fromDueAt: 9, remainingMs: 4 }]);
  });
});
