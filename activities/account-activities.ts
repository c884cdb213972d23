import type { Db } from '../src/db/client';
import { dbAccountStore } from '../src/accounts/account-store';
import { peekEntitlement } from '../src/subscriptions/entitlement-gateway';
import { dbCalendarStore } from '../src/tickets/calendar-store';
import { planContractChange, type ContractChangePlan } from '../src/tickets/contract-change';
import { dbPolicyStore } from '../src/tickets/policy-store';

export function createAccountActivities(deps: { db: Db }) {
  const accounts = dbAccountStore(deps.db);
  const planDeps = {
    db: deps.db,
    policies: dbPolicyStore(deps.db),
    calendars: dbCalendarStore(deps.db),
    entitlements: { peek: (customerId: string, at: number) => peekEntitlement(deps.db, customerId, at) },
  };
  return {
    /**
     * Which of the customer's open tickets a change of what it bought moves, and onto which terms; the
     * subscription workflow signals them. A read only: running it twice plans the same moves.
     */
    async planCustomerTicketMoves(q: { customerId: string }): Promise<ContractChangePlan> {
      const customer = await accounts.customer(q.customerId);
      return customer ? planContractChange(planDeps, customer) : { terms: {}, moves: [] };
    },
  };
}
