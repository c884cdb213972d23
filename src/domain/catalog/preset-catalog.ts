import { vendorPresets } from '../accounts/vendor-presets';
import { hardwareCatalog, planCatalog } from '../subscription/plan-catalog';
import type { Catalog } from './types';

/**
 * The catalog a fresh deployment starts from (stored as version 1): the seeds' plans, products and
 * vendor rules. Every figure a seed does not state is listed in `assumptions`; admins replace them
 * with `PUT /v1/plans/:id` and new sales and renewals take the new version.
 */
export const presetCatalog: Catalog = {
  plans: planCatalog,
  hardware: hardwareCatalog,
  ticketProducts: {
    'smartertools-emergency': {
      policyId: 'smartertools-emergency',
      vendorId: 'smartertools',
      name: 'Emergency 24x7 Support ticket',
      // 000: "$349 per ticket".
      priceMinor: 34_900,
      currency: 'USD',
      refundOnDowngrade: true,
      // 000 sells emergency tickets to anyone; only upgrades need active Maintenance and Support.
      requiresActiveContract: false,
    },
  },
  hourlyRates: {
    'per-user': {
      vendorId: 'per-user',
      billedPolicyIds: ['per-user-hourly'],
      rateMinor: 15_000,
      currency: 'USD',
      incrementMinutes: 15,
      minimumMinutes: 30,
    },
    emetrotel: {
      vendorId: 'emetrotel',
      billedPolicyIds: [],
      rateMinor: 12_500,
      currency: 'USD',
      incrementMinutes: 30,
      minimumMinutes: 60,
    },
  },
  quotes: {
    emetrotel: {
      vendorId: 'emetrotel',
      currentRelease: '6.0',
      upgradePriceMinor: 39_900,
      renewalPlanId: 'assurance-standard',
      auditHours: 2,
      currency: 'USD',
      validDays: 30,
    },
  },
  vendors: vendorPresets,
  assumptions: [
    '004 "must pay hourly … at then-current rates": no rate is given; USD 150.00 an hour, billed in started 15-minute blocks, at least 30 minutes.',
    '002 "a billable hourly rate provided by E-MetroTel": USD 125.00 an hour, in started 30-minute blocks, at least one hour.',
    '002 quote: the "upgrade to current release" is USD 399.00, the current release is 6.0, the audit and upgrade take 2 hours, a quote stands 30 days.',
    'Plan prices (002 tiers, 004 per-user price and reinstatement fee) are not in the seeds; the preset prices are illustrative.',
    '004 "Certain Support Subscriptions may include third-party licenses": the example plan per-user-support-app (the App add-on, USD 78.00 a user a year) includes Softphone App licenses (reactivation fee USD 50.00) and a CRM integration connector (USD 25.00); per-user-support includes none. Each fee is charged once per reinstatement, on top of the Support Reinstatement Fee and the backfilled renewal.',
    '004 "All backup of system configuration(s) may be permanently deleted from our archive": the seed gives no period; backups are kept 90 days after the expiry (each plan’s configBackupRetentionDays) and a reinstatement before then keeps them. "An annual config backup": the next one is due a year after the last one kept, the first from the start of the coverage.',
    '004 "Receive email notifications of system administration issues or events": they go to the contacts marked administrator on the customer’s record; an event reported while no active subscription includes them is kept but not mailed.',
  ],
};
