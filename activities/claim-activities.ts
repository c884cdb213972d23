import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ticketWorkflowId } from '../workflows/ticket/contract';

/** What the subscription workflow asks Temporal itself: the read model may not have a started ticket's row yet. */
export function createClaimActivities() {
  return {
    /** The tickets, of those named, that have a workflow (running or ended): only those keep a held incident. */
    async startedTickets({ ticketIds }: { ticketIds: string[] }): Promise<string[]> {
      const { client } = Context.current();
      const started = await Promise.all(
        ticketIds.map(async (id) => {
          try {
            await client.workflow.getHandle(ticketWorkflowId(id)).describe();
            return id;
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) return undefined;
            throw err;
          }
        }),
      );
      return started.filter((id): id is string => id !== undefined);
    },
  };
}
