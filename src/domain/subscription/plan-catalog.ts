import type {
  HardwareCatalog,
  HardwareProduct,
  OperationOptions,
  PinnedCatalog,
  PlanCatalog,
  PlanDefinition,
  SubscriptionState,
} from './types.js';

const HOUR_MS = 3_600_000;

/** 002: the remote-access tool and software upgrades stop with the contract. */
const assuranceFeatures = ['secure-remote-access', 'software-updates'];

/**
 * 004's "Lapsed Subscriptions" list, plus what the subscription page sells: "Receive email notifications of
 * system administration issues or events" and "an annual config backup". A lapse stops new notifications and
 * backups; the backups already archived follow their own retention clock (configBackupRetentionDays).
 */
const perUserFeatures = [
  'softphone-app',
  'remote-portal',
  'off-site-phones',
  'integrations',
  'add-extensions',
  'software-updates',
  'admin-notifications',
  'config-backup',
];

/** 002 charges a percentage surcharge, not a flat fee, to renew an expired contract. */
const assuranceReinstatement = { feeMinor: 0, surchargeBps: 2_000 };

/** 004's subscription; its App add-on plan differs in tier, price and the licences it includes. */
const perUserSupport: PlanDefinition = {
  id: 'per-user-support',
  policyId: 'per-user-support',
  name: 'Support Subscription (per user)',
  family: 'per-user',
  tier: 'standard',
  rank: 1,
  calendarId: 'weekday-9-5',
  responseTargetMs: 8 * HOUR_MS,
  channels: ['phone', 'email'],
  currency: 'USD',
  pricing: { kind: 'per-seat', pricePerSeatPerYearMinor: 6_000, annualBillingDiscountBps: 1_000 },
  billingCycles: ['monthly', 'annual'],
  incidentCapsPerYear: { phone: 5 },
  reinstatement: { feeMinor: 15_000, surchargeBps: 0 },
  subscriptionFeatures: perUserFeatures,
  configBackupRetentionDays: 90,
};

/**
 * Example catalog built from the seed policies. Prices are illustrative (the seeds quote none);
 * tiers, hours, response targets, caps and lapse behaviour come from the customers' own words.
 * Deployments pass their own catalog through OperationOptions.catalog.
 */
export const planCatalog: PlanCatalog = {
  'assurance-standard': {
    id: 'assurance-standard',
    policyId: 'emetrotel-standard',
    name: 'Software and Support Services - Standard',
    family: 'assurance',
    tier: 'standard',
    rank: 1,
    calendarId: 'weekday-9-5',
    responseTargetMs: 24 * HOUR_MS,
    channels: ['phone', 'email'],
    currency: 'USD',
    pricing: { kind: 'flat', annualPriceMinor: 49_900 },
    billingCycles: ['annual'],
    incidentCapsPerYear: {},
    reinstatement: assuranceReinstatement,
    includedWithPurchasePlanId: 'assurance-standard',
    subscriptionFeatures: assuranceFeatures,
    configBackupRetentionDays: 90,
  },
  'assurance-premium': {
    id: 'assurance-premium',
    policyId: 'emetrotel-premium',
    name: 'Software and Support Services - Premium',
    family: 'assurance',
    tier: 'premium',
    rank: 2,
    calendarId: 'weekday-7-7',
    responseTargetMs: 4 * HOUR_MS,
    channels: ['phone', 'email'],
    currency: 'USD',
    pricing: { kind: 'flat', annualPriceMinor: 89_900 },
    billingCycles: ['annual'],
    incidentCapsPerYear: {},
    reinstatement: assuranceReinstatement,
    includedWithPurchasePlanId: 'assurance-standard',
    subscriptionFeatures: assuranceFeatures,
    configBackupRetentionDays: 90,
  },
  'assurance-premium-plus': {
    id: 'assurance-premium-plus',
    policyId: 'emetrotel-premium-plus',
    name: 'Software and Support Services - Premium Plus',
    family: 'assurance',
    tier: 'premium-plus',
    rank: 3,
    calendarId: 'always-open',
    responseTargetMs: 2 * HOUR_MS,
    channels: ['phone', 'email'],
    currency: 'USD',
    pricing: { kind: 'flat', annualPriceMinor: 129_900 },
    billingCycles: ['annual'],
    incidentCapsPerYear: {},
    reinstatement: assuranceReinstatement,
    includedWithPurchasePlanId: 'assurance-standard',
    subscriptionFeatures: assuranceFeatures,
    configBackupRetentionDays: 90,
  },
  'per-user-support': perUserSupport,
  /**
   * 004: "Add-on option to some Support Subscriptions, users are licensed to use an App" and "Certain
   * Support Subscriptions may include third-party licenses or services": the example plan that includes
   * them. Its price and the reactivation fees are illustrative (catalog assumptions).
   */
  'per-user-support-app': {
    ...perUserSupport,
    id: 'per-user-support-app',
    name: 'Support Subscription (per user) with App add-on',
    tier: 'app',
    rank: 2,
    pricing: { kind: 'per-seat', pricePerSeatPerYearMinor: 7_800, annualBillingDiscountBps: 1_000 },
    thirdPartyLicenses: [
      { id: 'softphone-app-licenses', name: 'Softphone App licenses (mobile, Mac and PC)', reactivationFeeMinor: 5_000 },
      { id: 'crm-connector', name: 'CRM integration connector', reactivationFeeMinor: 2_500 },
    ],
  },
};

/** 002's products; "maximum Hardware Warranty period, variable by product" lives here. */
export const hardwareCatalog: HardwareCatalog = {
  'galaxy-mini': product('galaxy-mini', 'Galaxy Mini', true, 3, 9_900),
  ucx250: product('ucx250', 'UCX250', true, 5, 14_900),
  ucx450: product('ucx450', 'UCX450', true, 5, 19_900),
  ucx1000: product('ucx1000', 'UCX1000', true, 5, 29_900),
  'digital-gateway': product('digital-gateway', 'Digital Gateway', true, 5, 9_900),
  'infinity-phone': product('infinity-phone', 'Infinity telephone', false, 1, 0),
};

function product(id: string, name: string, extendable: boolean, maxWarrantyYears: number, extensionPriceMinor: number): HardwareProduct {
  return { id, name, extendable, maxWarrantyYears, extensionPriceMinor, currency: 'USD' };
}

/** The plans a call is priced on: an explicit catalog, else the one the subscription was sold on. */
export function plansFor(state: Pick<SubscriptionState, 'pinned'>, options?: Pick<OperationOptions, 'catalog'>): PlanCatalog {
  return options?.catalog ?? state.pinned?.plans ?? planCatalog;
}

/**
 * Pins a renewal's catalog, keeping the plans the history names: a plan withdrawn from sale must
 * still resolve for the terms that ran on it.
 */
export function repin(state: SubscriptionState, next: PinnedCatalog): SubscriptionState {
  return { ...state, pinned: { version: next.version, plans: { ...plansFor(state), ...next.plans } } };
}

export function findPlan(catalog: PlanCatalog, planId: string): PlanDefinition | undefined {
  return Object.hasOwn(catalog, planId) ? catalog[planId] : undefined;
}

export function findPlanByTier(catalog: PlanCatalog, family: string, tier: string): PlanDefinition | undefined {
  return Object.values(catalog).find((p) => p.family === family && p.tier === tier);
}

/** The catalog is configuration: a state naming a plan the catalog lacks is a deployment bug. */
export function requirePlan(catalog: PlanCatalog, planId: string): PlanDefinition {
  const plan = findPlan(catalog, planId);
  if (!plan) throw new Error(`plan ${planId} is not in the catalog`);
  return plan;
}

export function findProduct(catalog: HardwareCatalog, productId: string): HardwareProduct | undefined {
  return Object.hasOwn(catalog, productId) ? catalog[productId] : undefined;
}
