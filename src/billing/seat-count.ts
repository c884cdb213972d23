import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers } from '../db/schema';
import { DomainError } from '../domain/errors';
import { countUsers, findPlan, planCatalog, type Device, type PlanCatalog } from '../domain/subscription';

export interface SeatRequest {
  customerId: string;
  planId: string;
  seats?: number;
}

/**
 * The seats a new subscription is sold with. 004: "Your Support Subscription quote is based on the
 * total number of users on your system", so for a per-user plan the customer's device list decides:
 * omitted seats are counted from it, and typed seats that disagree with it are refused rather than
 * silently under- or over-billed (more users later are "prorated", through POST …/seats). A customer
 * with no device on record keeps typed seats, as before devices were recorded.
 * Undefined: not a per-user plan (or an unknown one), so the domain's own checks answer.
 * `catalog` is the one the sale is priced on: a plan published with PUT /v1/plans is not a built-in one.
 */
export async function seatsFor(db: Db, req: SeatRequest, catalog: PlanCatalog = planCatalog): Promise<number | undefined> {
  const plan = findPlan(catalog, req.planId);
  if (plan?.pricing.kind !== 'per-seat') return req.seats;
  const [row] = await db.select({ devices: customers.devices }).from(customers).where(eq(customers.id, req.customerId));
  const devices = (row?.devices ?? []) as unknown as Device[];
  const count = countUsers(devices);
  if (req.seats === undefined) {
    if (!row) {
      throw new DomainError(
        'unknown_customer',
        `No customer ${req.customerId} on record to count the users of; give seats or create the customer.`,
        [{ path: 'body.customerId', message: 'unknown customer' }],
      );
    }
    if (count.users === 0) {
      throw new DomainError(
        'no_devices',
        `${plan.name} is priced per user, and customer ${req.customerId} has no phone, calling extension or app user on record to count.`,
        [{ path: 'body.seats', message: 'give seats, or record the customer’s devices' }],
      );
    }
    return count.users;
  }
  if (devices.length > 0 && count.users !== req.seats) {
    const excluded = count.notCounted.length
      ? `; not counted: ${count.notCounted.length} (voicemail boxes, phone trees, a second device of one person)`
      : '';
    throw new DomainError(
      'seats_mismatch',
      `${req.seats} seats requested, but customer ${req.customerId}'s system has ${count.users} user${count.users === 1 ? '' : 's'} (${devices.length} devices${excluded}); omit seats to bill the count.`,
      [{ path: 'body.seats', message: `expected ${count.users}, the users counted from the customer’s devices` }],
    );
  }
  return req.seats;
}
