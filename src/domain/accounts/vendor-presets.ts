import type { VendorProfile } from './types';

/**
 * The five seed vendors' rules for a customer without a contract, in their own words where they have
 * them. Deployments store their own (as data); these are the examples the seeds describe.
 */
export const vendorPresets: Readonly<Record<string, VendorProfile>> = Object.fromEntries(
  [
    {
      id: 'smartertools',
      name: 'SmarterTools',
      policyIds: ['smartertools-standard', 'smartertools-emergency'],
      // 000: "Emergency Support tickets are submitted as part of the purchase process": buying one is the contract.
      paidPolicyIds: ['smartertools-emergency'],
      noContract: {
        advice:
          'Renew Maintenance and Support to restore standard support, or buy an Emergency Support ticket (policy smartertools-emergency) for a one-hour response, 24/7/365.',
      },
    },
    {
      id: 'smartwork',
      name: 'smartwork solutions',
      policyIds: ['smartwork-emea', 'smartwork-usa'],
      paidPolicyIds: [],
      noContract: {
        advice: 'Support is part of a smartwork solutions maintenance agreement; contact your account manager to conclude one.',
      },
    },
    {
      id: 'emetrotel',
      name: 'E-MetroTel',
      policyIds: ['emetrotel-standard', 'emetrotel-premium', 'emetrotel-premium-plus', 'emetrotel-hardware-warranty'],
      paidPolicyIds: [],
      // 002, "expired Software and Support Service contract": the three purchases and the purchase order.
      noContract: {
        advice:
          'Contact your Reseller for a quote. To restore an expired Software and Support Service contract, purchase (a) an upgrade to the current release, (b) a Software and Support Service renewal and (c) support hours for a system audit and the upgrade at the billable hourly rate; service proceeds once an approved purchase order is provided.',
      },
      systemAdvice:
        'The manufacturer registry shows no active Software and Support Service contract for this equipment at any service level. Contact your Reseller for a quote.',
      // 002: hardware warranty is sold and checked apart from software support.
      warranty: {
        policyId: 'emetrotel-hardware-warranty',
        expiredAdvice:
          'E-MetroTel will provide options for resolution through your Reseller; an extended warranty can only be bought while the warranty is active.',
      },
    },
    {
      id: 'mailup',
      name: 'MailUp',
      policyIds: ['mailup-standard', 'mailup-premium'],
      paidPolicyIds: [],
      noContract: { advice: 'Support is included with an active MailUp plan; renew the plan to restore it.' },
    },
    {
      id: 'per-user',
      name: 'Per-user support subscription (004)',
      policyIds: ['per-user-support', 'per-user-hourly'],
      paidPolicyIds: [],
      // 004: "All individuals or organizations without an active Support Subscription must pay hourly".
      noContract: {
        advice: 'Without an active Support Subscription every request is billed hourly at then-current rates.',
        openOnPolicyId: 'per-user-hourly',
      },
    },
  ].map((v) => [v.id, v]),
);

export function getVendorPreset(id: string): VendorProfile | undefined {
  return Object.hasOwn(vendorPresets, id) ? vendorPresets[id] : undefined;
}
