import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startedHistory } from '../../support/started-history';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import { addBusinessTime, getCalendarPreset } from '../../../src/domain/calendar/index';
import type { CalendarProbeSinks } from './fixtures/sandbox-workflow';

describe('Temporal workflow sandbox', () => {
  it('bundles (no Node built-ins) and runs the engine with date-holidays inside the sandbox', async () => {
    const reports: Array<{ deadline: number; between: number }> = [];
    const sinks: InjectedSinks<CalendarProbeSinks> = {
      probe: { report: { fn: (_info, result) => void reports.push(result), callDuringReplay: true } },
    };
    const start = Date.UTC(2026, 11, 15, 9);
    await Worker.runReplayHistory(
      { workflowsPath: fileURLToPath(new URL('./fixtures/sandbox-workflow.ts', import.meta.url)), sinks },
      startedHistory('calendarSandboxWorkflow', start, 'calendar-sandbox'),
      'calendar-sandbox',
    );
    const expected = addBusinessTime(getCalendarPreset('emea-berlin')!, start, 40 * 3_600_000);
    expect(reports).toEqual([{ deadline: expected, between: 40 * 3_600_000 }]);
  });
});
