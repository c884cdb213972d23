import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import { addBusinessTime, getCalendarPreset } from '../../../src/domain/calendar/index';
import type { CalendarProbeSinks } from './fixtures/sandbox-workflow';

const { temporal } = proto;
const EventType = temporal.api.enums.v1.EventType;

/**
 * A history that has just started the workflow: replaying it runs the first workflow task. Plain
 * numbers where protobuf declares Long; runReplayHistory passes such objects straight to the encoder.
 */
function startedHistory(workflowType: string, arg: unknown): object {
  const eventTime = { seconds: 1_780_000_000 };
  return {
    events: [
      {
        eventId: 1,
        eventTime,
        eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        workflowExecutionStartedEventAttributes: {
          workflowType: { name: workflowType },
          taskQueue: { name: 'calendar-sandbox' },
          input: { payloads: [defaultPayloadConverter.toPayload(arg)] },
          workflowTaskTimeout: { seconds: 10 },
          originalExecutionRunId: 'run',
          firstExecutionRunId: 'run',
          attempt: 1,
        },
      },
      {
        eventId: 2,
        eventTime,
        eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        workflowTaskScheduledEventAttributes: { taskQueue: { name: 'calendar-sandbox' }, startToCloseTimeout: { seconds: 10 }, attempt: 1 },
      },
      {
        eventId: 3,
        eventTime,
        eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
        workflowTaskStartedEventAttributes: { scheduledEventId: 2, requestId: 'req' },
      },
    ],
  };
}

describe('Temporal workflow sandbox', () => {
  it('bundles (no Node built-ins) and runs the engine with date-holidays inside the sandbox', async () => {
    const reports: Array<{ deadline: number; between: number }> = [];
    const sinks: InjectedSinks<CalendarProbeSinks> = {
      probe: { report: { fn: (_info, result) => void reports.push(result), callDuringReplay: true } },
    };
    const start = Date.UTC(2026, 11, 15, 9);
    await Worker.runReplayHistory(
      { workflowsPath: fileURLToPath(new URL('./fixtures/sandbox-workflow.ts', import.meta.url)), sinks },
      startedHistory('calendarSandboxWorkflow', start),
      'calendar-sandbox',
    );
    const expected = addBusinessTime(getCalendarPreset('emea-berlin')!, start, 40 * 3_600_000);
    expect(reports).toEqual([{ deadline: expected, between: 40 * 3_600_000 }]);
  });
});
