import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { subscriptions } from '../db/schema';
import { countUsers, findPlan, isRunning, plansFor, type Device } from '../domain/subscription';
import { addSeatsUpdate, subscriptionQuery, subscriptionWorkflowId } from '../../workflows/subscription/contract';

export interface SeatSyncDeps {
  db: Db;
  client: Client;
}

export interface SeatsAdded {
  subscriptionId: string;
  added: number;
  seats: number;
}

const RUNNING_STATUSES = ['active', 'expiring'];

/**
 * 004: "Your Support Subscription quote is based on the total number of users on your system" and
 * "Addition of new users will be prorated." When a customer's devices now count more users than a
 * running per-user subscription has seats, the difference is added through the subscription's own
 * update, prorated to the term's end. Fewer users change nothing until the renewal: the term is
 * prepaid and "non-refundable for any reason". The operation id names the seat count reached, so a
 * retried request adds once.
 */
export async function seatsFollowDevices(deps: SeatSyncDeps, customerId: string, devices: Device[]): Promise<SeatsAdded[]> {
  const users = countUsers(devices).users;
  const rows = await deps.db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.customerId, customerId), inArray(subscriptions.status, RUNNING_STATUSES)));
  const added: SeatsAdded[] = [];
  for (const { id } of rows) {
    const done = await raiseSeats(deps.client, id, users).catch((err: unknown) => {
      // A subscription whose run ended or that lapsed meanwhile has no seats to add; staff restart or
      // renew it, priced on the devices then. Anything else (Temporal unreachable) fails the request,
      // and its retry adds what is still missing.
      if (err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError) return undefined;
      throw err;
    });
    if (done) added.push(done);
  }
  return added;
}

async function raiseSeats(client: Client, id: string, users: number): Promise<SeatsAdded | undefined> {
  const handle = client.workflow.getHandle(subscriptionWorkflowId(id));
  // The workflow, not the read model, holds the seats a concurrent change may just have raised.
  const view = await handle.query(subscriptionQuery);
  const plan = findPlan(plansFor(view.state), view.planId);
  if (!isRunning(view.state) || plan?.pricing.kind !== 'per-seat' || users <= view.seats) return undefined;
  const operationId = `devices:${id}:${users}`;
  const outcome = await handle.executeUpdate(addSeatsUpdate, { args: [{ operationId, seats: users - view.seats }], updateId: operationId });
  return { subscriptionId: id, added: users - view.seats, seats: outcome.subscription.seats };
}
