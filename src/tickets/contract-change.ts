import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { coverageAt, getVendorPreset, type Customer } from '../domain/accounts/index';
import type { CalendarSpec } from '../domain/calendar/index';
import type { SupportPolicy } from '../domain/ticket/index';
import type { EntitlementGateway } from '../subscriptions/entitlement-gateway';
import { changeContractSignal, ticketWorkflowId, type CoveredBy } from '../../workflows/ticket/contract';
import type { CalendarStore } from './calendar-store';
import { coveredByOf, pinPolicy } from './pinned-policies';
import type { PolicyStore } from './policy-store';

export interface ContractChangePlanDeps {
  db: Db;
  policies: PolicyStore;
  calendars?: CalendarStore | undefined;
  entitlements?: Pick<EntitlementGateway, 'peek'> | undefined;
  now?: (() => number) | undefined;
}

export interface ContractChangeDeps extends ContractChangePlanDeps {
  client: Client;
}

/** Each moved ticket names its new policy; the pinned terms are listed once per policy, not per ticket. */
export interface ContractChangePlan {
  terms: Record<string, { policy: SupportPolicy; policies: Record<string, SupportPolicy>; calendars: Record<string, CalendarSpec> }>;
  moves: Array<{ ticketId: string; from: string; policyId: string; coveredBy: CoveredBy; changeId: string }>;
}

/**
 * After what the customer bought changed, each open ticket it covered is asked again what covers it
 * now (issue 13, item 8). A ticket still on a policy it is offered stays; one whose contract or
 * subscription now gives another policy (an upgrade, a contract edited in place) moves onto it. A
 * ticket nothing covers any more keeps the terms it was opened under (002: tickets opened before expiry
 * are served), and one bought per ticket or hour is what was paid for, so neither moves.
 */
export async function planContractChange(deps: ContractChangePlanDeps, customer: Customer): Promise<ContractChangePlan> {
  const plan: ContractChangePlan = { terms: {}, moves: [] };
  const vendor = getVendorPreset(customer.vendorId);
  if (!vendor) return plan;
  const at = (deps.now ?? Date.now)();
  const rows = await deps.db
    .select({ id: tickets.id, policyId: tickets.policyId, fields: tickets.fields, coveredBy: tickets.coveredBy })
    .from(tickets)
    .where(and(eq(tickets.customerId, customer.id), ne(tickets.status, 'closed'), ne(tickets.status, 'cancelled')));
  const subscription = rows.length ? await deps.entitlements?.peek(customer.id, at) : undefined;
  for (const row of rows) {
    if (row.coveredBy?.kind !== 'contract' && row.coveredBy?.kind !== 'subscription') continue;
    const question = {
      customer,
      vendor,
      at,
      ...(row.fields.systemId ? { systemId: row.fields.systemId } : {}),
      ...(subscription ? { subscription } : {}),
    };
    const still = coverageAt({ ...question, requestedPolicyId: row.policyId });
    if (still.ok && still.coveredBy.kind !== 'paid') continue;
    const now = coverageAt(question);
    if (!now.ok || now.coveredBy.kind === 'paid' || now.policyId === row.policyId) continue;
    if (!plan.terms[now.policyId]) {
      const policy = await deps.policies.get(now.policyId);
      if (!policy) continue;
      plan.terms[now.policyId] = { policy, ...(await pinPolicy(deps, policy, at)) };
    }
    const { policy } = plan.terms[now.policyId]!;
    const coveredBy = coveredByOf(now.coveredBy);
    const changeId = `${coveredBy.kind}:${'id' in coveredBy ? coveredBy.id : ''}:${policy.id}@${policy.version}`;
    plan.moves.push({ ticketId: row.id, from: row.policyId, policyId: policy.id, coveredBy, changeId });
  }
  return plan;
}

/** The API's path (a PATCH of the customer): plan, then signal. Signals are idempotent per change. */
export async function reachOpenTickets(deps: ContractChangeDeps, customer: Customer): Promise<string[]> {
  const plan = await planContractChange(deps, customer);
  const moved: string[] = [];
  for (const move of plan.moves) {
    const { policy, policies, calendars } = plan.terms[move.policyId]!;
    try {
      await deps.client.workflow
        .getHandle(ticketWorkflowId(move.ticketId))
        .signal(changeContractSignal, { policy, policies, calendars, coveredBy: move.coveredBy, changeId: move.changeId });
      moved.push(move.ticketId);
    } catch (err) {
      // A ticket whose workflow ended since its row was read has no deadline left to move.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return moved;
}
