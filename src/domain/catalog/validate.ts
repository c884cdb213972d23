import type { Catalog } from './types';

export interface CatalogProblem {
  path: string;
  message: string;
}

/**
 * What a schema cannot see: entries keyed by their own id, and references that point inside the
 * catalog, so a published version never names a plan, product or policy it does not hold.
 */
export function catalogProblems(c: Catalog, policyExists: (id: string) => boolean): CatalogProblem[] {
  const out: CatalogProblem[] = [];
  const keyed = (
    section: string,
    entries: Record<string, { id?: string; policyId?: string; vendorId?: string }>,
    field: 'id' | 'policyId' | 'vendorId',
  ) => {
    for (const [key, v] of Object.entries(entries)) {
      if (v[field] !== key) out.push({ path: `${section}.${key}.${field}`, message: `must equal its key "${key}"` });
    }
  };
  keyed('plans', c.plans, 'id');
  keyed('hardware', c.hardware, 'id');
  keyed('vendors', c.vendors, 'id');
  keyed('ticketProducts', c.ticketProducts, 'policyId');
  keyed('hourlyRates', c.hourlyRates, 'vendorId');
  keyed('quotes', c.quotes, 'vendorId');
  for (const p of Object.values(c.plans)) {
    if (p.includedWithPurchasePlanId && !Object.hasOwn(c.plans, p.includedWithPurchasePlanId))
      out.push({ path: `plans.${p.id}.includedWithPurchasePlanId`, message: `no plan "${p.includedWithPurchasePlanId}"` });
    if (p.policyId && !policyExists(p.policyId)) out.push({ path: `plans.${p.id}.policyId`, message: `no policy "${p.policyId}"` });
  }
  for (const q of Object.values(c.quotes)) {
    if (!Object.hasOwn(c.plans, q.renewalPlanId))
      out.push({ path: `quotes.${q.vendorId}.renewalPlanId`, message: `no plan "${q.renewalPlanId}"` });
  }
  for (const v of Object.values(c.vendors)) {
    for (const id of [...v.policyIds, ...v.paidPolicyIds])
      if (!policyExists(id)) out.push({ path: `vendors.${v.id}.policyIds`, message: `no policy "${id}"` });
  }
  return out;
}
