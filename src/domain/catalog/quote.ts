import type { InstalledSystem } from '../accounts/types';
import { applyBps } from '../subscription/money';
import { hourlyAmount, releaseBehind } from './pricing';
import type { Catalog } from './types';

export const QuoteLineKind = {
  Upgrade: 'release-upgrade',
  Renewal: 'support-renewal',
  Surcharge: 'renewal-surcharge',
  AuditHours: 'audit-hours',
} as const;
export type QuoteLineKind = (typeof QuoteLineKind)[keyof typeof QuoteLineKind];

export interface QuoteLine {
  kind: QuoteLineKind;
  description: string;
  amountMinor: number;
  quantity?: number;
}

export interface QuoteDraft {
  vendorId: string;
  currency: string;
  lines: QuoteLine[];
  totalMinor: number;
  /** The plan the renewal buys; its policy covers the ticket once the purchase order is in. */
  renewalPlanId: string;
  policyId: string;
  validDays: number;
}

/**
 * 002: "In the case of an expired Software and Support Service contract, the Reseller and/or End User
 * is required to purchase (a) an upgrade to current release, (b) a Software and Support Service
 * renewal and (c) support hours to perform a system audit and the upgrade at a billable hourly rate".
 * (a) is quoted only when the system is behind the current release; undefined when the vendor
 * quotes nothing (it refuses with its advice instead). The renewal is of the level that lapsed
 * (`lapsedPolicyId`): a Premium Plus customer renews Premium Plus, not the vendor's default level.
 */
export function draftQuote(
  catalog: Catalog,
  vendorId: string,
  system: InstalledSystem | undefined,
  lapsedPolicyId?: string,
): QuoteDraft | undefined {
  const terms = Object.hasOwn(catalog.quotes, vendorId) ? catalog.quotes[vendorId] : undefined;
  const plan = terms && renewalPlan(catalog, terms.renewalPlanId, lapsedPolicyId);
  if (!terms || !plan?.policyId || plan.pricing.kind !== 'flat') return undefined;
  const rate = Object.hasOwn(catalog.hourlyRates, vendorId) ? catalog.hourlyRates[vendorId] : undefined;
  const lines: QuoteLine[] = [];
  const what = system ? `${system.type}${system.hostId ? ` ${system.hostId}` : ''}` : 'the system';
  if (releaseBehind(system?.release, terms.currentRelease)) {
    lines.push({
      kind: QuoteLineKind.Upgrade,
      description: `Upgrade of ${what} from release ${system?.release ?? 'unknown'} to ${terms.currentRelease}`,
      amountMinor: terms.upgradePriceMinor,
    });
  }
  const renewal = plan.pricing.annualPriceMinor;
  lines.push({ kind: QuoteLineKind.Renewal, description: `${plan.name}, one year for ${what}`, amountMinor: renewal });
  const surcharge = applyBps(renewal, plan.reinstatement.surchargeBps);
  if (surcharge > 0) {
    lines.push({
      kind: QuoteLineKind.Surcharge,
      description: `Surcharge for renewing an expired contract (${plan.reinstatement.surchargeBps / 100} %)`,
      amountMinor: surcharge,
    });
  }
  if (rate && terms.auditHours > 0) {
    lines.push({
      kind: QuoteLineKind.AuditHours,
      description: `${terms.auditHours} support hours for the system audit and the upgrade`,
      amountMinor: hourlyAmount(terms.auditHours * 60, rate.rateMinor),
      quantity: terms.auditHours * 60,
    });
  }
  return {
    vendorId,
    currency: terms.currency,
    lines,
    totalMinor: lines.reduce((s, l) => s + l.amountMinor, 0),
    renewalPlanId: plan.id,
    policyId: plan.policyId,
    validDays: terms.validDays,
  };
}

/**
 * The plan of the vendor's renewal family (the default renewal plan's) that sells the lapsed level,
 * else the default renewal. Other families may sell the same policy; the family keeps the choice
 * the vendor's, not whichever plan a catalog happens to list first.
 */
function renewalPlan(catalog: Catalog, defaultPlanId: string, lapsedPolicyId: string | undefined) {
  const fallback = Object.hasOwn(catalog.plans, defaultPlanId) ? catalog.plans[defaultPlanId] : undefined;
  if (!fallback || lapsedPolicyId === undefined || fallback.policyId === lapsedPolicyId) return fallback;
  const sameLevel = Object.values(catalog.plans).filter(
    (p) => p.family === fallback.family && p.policyId === lapsedPolicyId && p.pricing.kind === 'flat',
  );
  return sameLevel.length === 1 ? sameLevel[0] : fallback;
}
