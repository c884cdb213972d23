import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { countHistory } from '../../../bench/cost';

const T = proto.temporal.api.enums.v1.EventType;
const { HistoryEvent } = proto.temporal.api.history.v1;
type Event = proto.temporal.api.history.v1.IHistoryEvent;

// fromObject takes plain numbers where the wire has 64-bit ids.
const ev = (eventType: number, more: Record<string, unknown> = {}): Event => HistoryEvent.fromObject({ eventType, ...more });
const task = (id: number): Event[] => [
  ev(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
  ev(T.EVENT_TYPE_WORKFLOW_TASK_STARTED),
  ev(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, { eventId: id }),
];
const marker = (taskId: number) =>
  ev(T.EVENT_TYPE_MARKER_RECORDED, { markerRecordedEventAttributes: { workflowTaskCompletedEventId: taskId } });

/** The bench's reading of Temporal Cloud's published rules (docs.temporal.io/cloud/actions), on made-up histories. */
describe('billable actions read off a history', () => {
  it('counts the local activities of one workflow task once, and each task that has any', () => {
    const events = [ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED), ...task(4), marker(4), marker(4), ...task(9), marker(9)];
    expect(countHistory({ events }).actions).toBe(1 + 1 + 1);
  });

  it("counts a child's start twice in the parent and not again in the child", () => {
    const parent = [ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED), ...task(4), ev(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)];
    const child = [
      ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, {
        workflowExecutionStartedEventAttributes: { parentWorkflowExecution: { workflowId: 'p' } },
      }),
    ];
    expect(countHistory({ events: parent }).actions).toBe(3);
    expect(countHistory({ events: child }).actions).toBe(0);
  });

  it('counts a signal between workflows where it was sent, and every retry of an activity', () => {
    const sender = [ev(T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)];
    const receiver = [
      ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, {
        workflowExecutionSignaledEventAttributes: { externalWorkflowExecution: { workflowId: 's' } },
      }),
      ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    ];
    const retried = [
      ev(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
      ev(T.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { attempt: 3 } }),
    ];
    expect(countHistory({ events: sender }).actions).toBe(1);
    expect(countHistory({ events: receiver }).actions).toBe(1);
    expect(countHistory({ events: retried }).actions).toBe(3);
  });

  it('does not count what the published list leaves out: a cancel request to another workflow, a memo change', () => {
    const events = [ev(T.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED), ev(T.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED)];
    expect(countHistory({ events }).actions).toBe(0);
  });
});
