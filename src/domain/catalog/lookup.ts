import type { PlanCatalog } from '../subscription/types';
import type { Catalog, HourlyRate } from './types';

/** The plans a subscription may move between (upgrade, renewal tier), which is what it pins. */
export function familyPlans(plans: PlanCatalog, planId: string): PlanCatalog {
  const family = Object.hasOwn(plans, planId) ? plans[planId]?.family : undefined;
  return Object.fromEntries(Object.entries(plans).filter(([, p]) => p.family === family));
}

/** The rate a ticket on `policyId` is billed at, if its vendor bills that policy by the hour. */
export function hourlyRateFor(catalog: Catalog, vendorId: string, policyId: string): HourlyRate | undefined {
  const rate = Object.hasOwn(catalog.hourlyRates, vendorId) ? catalog.hourlyRates[vendorId] : undefined;
  return rate?.billedPolicyIds.includes(policyId) ? rate : undefined;
}
