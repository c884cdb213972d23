import type { UpdateDefinition } from '@temporalio/common';
import { currentUpdateInfo, patched, setHandler } from '@temporalio/workflow';
import {
  addSeats,
  cancelAtTermEnd,
  extendWarranty,
  recordIncident,
  reinstate,
  renew,
  upgradeTier,
  type Refusal,
} from '../../src/domain/subscription';
import {
  addSeatsUpdate,
  cancelAtTermEndUpdate,
  claimTicketEntitlementUpdate,
  extendWarrantyUpdate,
  MAX_CLAIM_SKEW_MS,
  recordIncidentUpdate,
  reinstateUpdate,
  releaseTicketEntitlementUpdate,
  renewUpdate,
  subscriptionCarryQuery,
  subscriptionQuery,
  upgradeUpdate,
  type ClaimTicketEntitlementArgs,
  type OperationArgs,
  type OperationOutcome,
  type ReleaseTicketEntitlementArgs,
  type RepricingArgs,
} from './contract';
import { refuse } from '../failures';
import { domainChannel, type Operation, type SubscriptionMachine } from './subscription-machine';
import { subscriptionView } from './view';

export function refuseWith(r: Refusal): never {
  return refuse(r.code, r.reason);
}

function invalid(message: string): never {
  return refuse('invalid_input', message);
}

/** The caller's idempotency key, else the update id (which Temporal also reuses on a retried request). */
function operationIdOf(args: OperationArgs): string | undefined {
  return args.operationId ?? currentUpdateInfo()?.id;
}

/**
 * Validators run the same pure operation on a copy, so a refusal is rejected before it enters
 * history; the handler re-checks because another update may have run in between.
 */
export function registerSubscriptionHandlers(m: SubscriptionMachine, flush: () => Promise<void>): void {
  const operation = <A extends OperationArgs>(
    def: UpdateDefinition<OperationOutcome, [A]>,
    op: (args: A, operationId: string | undefined) => Operation,
    checkArgs?: (args: A) => void,
  ) => {
    setHandler(
      def,
      async (args: A) => {
        const applied = m.apply(Date.now(), op(args, operationIdOf(args)));
        await flush();
        if (!applied.result.ok) refuseWith(applied.result);
        return m.outcome(Date.now(), applied);
      },
      {
        validator: (args: A) => {
          checkArgs?.(args);
          const result = m.preview(Date.now(), op(args, operationIdOf(args)));
          if (!result.ok) refuseWith(result);
        },
      },
    );
  };

  const repriced = (a: RepricingArgs) => (a.catalog ? { renewalCatalog: a.catalog } : {});
  operation(
    renewUpdate,
    (a, operationId) => (s, now) => renew(s, now, { operationId, ...repriced(a), ...(a.tier === undefined ? {} : { tier: a.tier }) }),
  );
  operation(reinstateUpdate, (a, operationId) => (s, now) => reinstate(s, now, { operationId, ...repriced(a) }));
  operation(
    upgradeUpdate,
    (a, operationId) => (s, now) => upgradeTier(s, a.tier, now, { operationId }),
    (a) => {
      if (typeof a.tier !== 'string' || a.tier === '') invalid('tier is required');
    },
  );
  operation(addSeatsUpdate, (a, operationId) => (s, now) => addSeats(s, a.seats, now, { operationId }));
  operation(cancelAtTermEndUpdate, (_a, operationId) => (s, now) => cancelAtTermEnd(s, now, { operationId }));
  operation(extendWarrantyUpdate, (_a, operationId) => (s, now) => extendWarranty(s, now, { operationId }));
  operation(
    recordIncidentUpdate,
    (a, operationId) => (s, now) => recordIncident(s, domainChannel(a.channel), a.at ?? now, { operationId }),
    (a) => checkChannel(a.channel),
  );

  setHandler(
    claimTicketEntitlementUpdate,
    async (args) => {
      // Runs recorded before incidents were held kept every claim for good.
      const decision = m.claim(args, Date.now(), patched('claims-held-until-ticket-starts'));
      await flush();
      return decision;
    },
    { validator: (args: ClaimTicketEntitlementArgs) => checkClaim(args, Date.now()) },
  );
  setHandler(
    releaseTicketEntitlementUpdate,
    async (args) => {
      const released = m.release(args, Date.now());
      await flush();
      return { released };
    },
    { validator: (args: ReleaseTicketEntitlementArgs) => checkRelease(args) },
  );
  setHandler(subscriptionQuery, () => subscriptionView(m.state, Date.now()));
  setHandler(subscriptionCarryQuery, () => m.carry());
}

function checkChannel(channel: unknown): void {
  if (channel !== 'phone' && channel !== 'email' && channel !== 'web')
    invalid(`channel must be phone, email or web, got ${String(channel)}`);
}

/** A claim is never refused for business reasons (the decision says so); only malformed ones are. */
function checkClaim(args: ClaimTicketEntitlementArgs, now: number): void {
  if (typeof args.ticketId !== 'string' || args.ticketId === '') invalid('ticketId is required');
  checkChannel(args.channel);
  if (!Number.isFinite(args.at)) invalid('at must be the ticket opening instant in epoch milliseconds');
  if (args.at > now + MAX_CLAIM_SKEW_MS) {
    refuse(
      'claim_in_future',
      `ticket opening time ${new Date(args.at).toISOString()} is ahead of the subscription clock ${new Date(now).toISOString()}`,
    );
  }
}

function checkRelease(args: ReleaseTicketEntitlementArgs): void {
  if (typeof args.ticketId !== 'string' || args.ticketId === '') invalid('ticketId is required');
  if (!Number.isFinite(args.at)) invalid('at must be the opening instant the claim was made with');
}
