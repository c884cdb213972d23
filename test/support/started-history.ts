import proto from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';

const { temporal } = proto;
const EventType = temporal.api.enums.v1.EventType;

/**
 * A history that has just started the workflow: replaying it runs the first workflow task inside the
 * real sandbox, so pure code can be proven to bundle and run there without a server.
 */
export function startedHistory(
  workflowType: string,
  arg: unknown,
  taskQueue: string,
): ReturnType<typeof temporal.api.history.v1.History.fromObject> {
  const eventTime = { seconds: 1_780_000_000 };
  return temporal.api.history.v1.History.fromObject({
    events: [
      {
        eventId: 1,
        eventTime,
        eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        workflowExecutionStartedEventAttributes: {
          workflowType: { name: workflowType },
          taskQueue: { name: taskQueue },
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
        workflowTaskScheduledEventAttributes: { taskQueue: { name: taskQueue }, startToCloseTimeout: { seconds: 10 }, attempt: 1 },
      },
      {
        eventId: 3,
        eventTime,
        eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
        workflowTaskStartedEventAttributes: { scheduledEventId: 2, requestId: 'req' },
      },
    ],
  });
}
