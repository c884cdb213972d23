import { describe, expect, it } from 'vitest';
import { planSchema } from '../../../src/api/catalog-schemas';
import { presetCatalog } from '../../../src/domain/catalog/index';
import {
  cancelAtTermEnd,
  lapse,
  licenseSet,
  licenseStatus,
  planCatalog,
  reinstate,
  type Effect,
  type PlanDefinition,
  type SubscriptionState,
} from '../../../src/domain/subscription/index.js';
import { quoteReinstatement } from '../../../src/subscriptions/reinstatement-quote';
import { renderEmail } from '../../../workflows/subscription/email-text';
import { emailsOf, invoiceOf, ok, perUser, refused, t } from './fixtures.js';

const APP = 'per-user-support-app';
const appPlan = planCatalog[APP]!;
const withApp = () => perUser({ planId: APP });
const lapsed = (s: SubscriptionState) => ok(lapse(s, s.termEnd)).state;
const mailOf = (effects: Effect[], state: SubscriptionState) => {
  const invoice = effects.find((e): e is Extract<Effect, { type: 'invoice' }> => e.type === 'invoice');
  const email = emailsOf(effects)[0];
  if (!email) throw new Error('no email');
  return renderEmail(email, state, invoice);
};
const pin = (plan: PlanDefinition) => ({ version: 7, plans: { [plan.id]: plan } });

describe('004 third-party licenses: "deactivated and canceled if the Support Subscription is deactivated or canceled"', () => {
  it('the seeded example plan includes two, with fees as catalog data and the choice in the assumptions', () => {
    expect(appPlan.thirdPartyLicenses?.map((l) => [l.id, l.reactivationFeeMinor])).toEqual([
      ['softphone-app-licenses', 5_000],
      ['crm-connector', 2_500],
    ]);
    expect(planCatalog['per-user-support']?.thirdPartyLicenses).toBeUndefined();
    expect(presetCatalog.assumptions.some((a) => a.includes('per-user-support-app') && a.includes('USD 50.00'))).toBe(true);
  });

  it('a lapse deactivates them: the features-off effect lists them and the mail names them with the fees to come back', () => {
    const state = withApp();
    const { state: off, effects } = ok(lapse(state, state.termEnd));
    expect(effects[0]).toMatchObject({ type: 'features-off', licenses: ['softphone-app-licenses', 'crm-connector'] });
    const mail = mailOf(effects, off);
    expect(mail.text).toContain('These third-party licenses included with your subscription were deactivated and canceled:');
    expect(mail.text).toContain('  - Softphone App licenses (mobile, Mac and PC)');
    expect(mail.text).toContain('Reactivating the third-party licenses costs Softphone App licenses (mobile, Mac and PC) $50.00');
    // A plan without licenses says nothing about them.
    const plain = perUser();
    expect(mailOf(ok(lapse(plain, plain.termEnd)).effects, plain).text).not.toContain('third-party');
  });

  it('a cancellation deactivates them too', () => {
    const state = ok(cancelAtTermEnd(withApp(), t('2026-06-01T09:00'))).state;
    const { state: off, effects } = ok(lapse(state, state.termEnd));
    expect(off.status).toBe('cancelled');
    expect(mailOf(effects, off).text).toContain('  - CRM integration connector');
    expect(licenseStatus(off, state.termEnd + 1).every((l) => !l.active && l.deactivatedAt === state.termEnd)).toBe(true);
  });

  it('the view and the feature set show them on while covered, off from the expiry instant, on again after reinstatement', () => {
    const state = withApp();
    expect(licenseStatus(state, state.termEnd - 1).map((l) => [l.id, l.active, l.currency])).toEqual([
      ['softphone-app-licenses', true, 'USD'],
      ['crm-connector', true, 'USD'],
    ]);
    expect(licenseStatus(state, state.termEnd)[0]).toMatchObject({ active: false, deactivatedAt: state.termEnd });
    const at = state.termEnd + 10 * 86_400_000;
    const back = ok(reinstate(lapsed(state), at)).state;
    expect(licenseStatus(back, at + 1)[0]).toMatchObject({ active: true, deactivatedAt: null });
    expect(licenseSet([lapsed(state)], at)[0]).toMatchObject({
      feature: 'crm-connector',
      name: 'CRM integration connector',
      enabled: false,
    });
    expect(licenseSet([back], at + 1)[0]).toMatchObject({ enabled: true, since: at, grantedBy: [{ subscriptionId: back.id }] });
  });

  it('a reinstatement charges each reactivation fee once, after the reinstatement fee and before the backfill', () => {
    const at = t('2027-04-10T11:00');
    const off = lapsed(withApp());
    const { state, effects } = ok(reinstate(off, at, { operationId: 'r-1' }));
    const invoice = invoiceOf(effects);
    expect(invoice.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['reinstatement-fee', 15_000],
      ['license-reactivation-fee', 5_000],
      ['license-reactivation-fee', 2_500],
      ['subscription', 70_200],
    ]);
    expect(invoice.lines[1]?.description).toBe('Third-party license reactivation fee: Softphone App licenses (mobile, Mac and PC)');
    expect(invoice.totalMinor).toBe(92_700);
    expect(effects.find((e) => e.type === 'features-on')).toMatchObject({ licenses: ['softphone-app-licenses', 'crm-connector'] });
    const mail = mailOf(effects, state);
    expect(mail.text).toContain(
      'These third-party licenses are active again; their reactivation fees, where they apply, are on the invoice:',
    );
    expect(mail.text).toContain('  Third-party license reactivation fee: CRM integration connector: $25.00');
    // The same operation again changes and charges nothing.
    expect(ok(reinstate(state, at + 1, { operationId: 'r-1' }))).toMatchObject({ duplicate: true, effects: [] });
  });

  it('prices reactivation on the catalog current at reinstatement; an added license comes on free, a withdrawn one stays off', () => {
    const off = lapsed(withApp());
    const fresh: PlanDefinition = {
      ...appPlan,
      thirdPartyLicenses: [
        { id: 'softphone-app-licenses', name: 'Softphone App licenses', reactivationFeeMinor: 6_000 },
        { id: 'fax-to-email', name: 'Fax to email', reactivationFeeMinor: 1_000 },
      ],
    };
    const { effects } = ok(reinstate(off, t('2027-04-10T11:00'), { renewalCatalog: pin(fresh) }));
    const fees = invoiceOf(effects).lines.filter((l) => l.kind === 'license-reactivation-fee');
    expect(fees.map((l) => [l.description, l.amountMinor])).toEqual([
      ['Third-party license reactivation fee: Softphone App licenses', 6_000],
    ]);
    expect(effects.find((e) => e.type === 'features-on')).toMatchObject({ licenses: ['softphone-app-licenses', 'fax-to-email'] });
  });

  it('the quote is what the reinstatement would invoice, and refuses a running subscription', () => {
    const at = t('2027-04-10T11:00');
    const running = withApp();
    // The row may still say active after the expiry: the quote applies the lapse the timer is about to record.
    const quote = quoteReinstatement(running, at);
    if ('ok' in quote) throw new Error(quote.reason);
    expect(quote.lines.map((l) => l.kind)).toEqual([
      'reinstatement-fee',
      'license-reactivation-fee',
      'license-reactivation-fee',
      'subscription',
    ]);
    expect(quote.totalMinor).toBe(invoiceOf(ok(reinstate(lapsed(running), at)).effects).totalMinor);
    expect(quote.licenses).toEqual(['softphone-app-licenses', 'crm-connector']);
    const early = quoteReinstatement(running, running.termEnd - 1);
    expect('ok' in early && early.code).toBe('not_lapsed');
    refused(reinstate(running, running.termEnd - 1), 'not_lapsed');
  });
});

describe('published plans (PUT /v1/plans/:id) validate their licenses', () => {
  const body = (licenses: unknown) => ({ ...appPlan, thirdPartyLicenses: licenses });

  it('accepts the example plan and refuses a repeated id, a negative or fractional fee, an unknown field', () => {
    expect(planSchema.safeParse(appPlan).success).toBe(true);
    const issues = (licenses: unknown) => planSchema.safeParse(body(licenses)).error?.issues.map((i) => i.path.join('.'));
    const lic = { id: 'a', name: 'A', reactivationFeeMinor: 100 };
    expect(issues([lic, lic])).toEqual(['thirdPartyLicenses.1.id']);
    expect(issues([{ ...lic, reactivationFeeMinor: -1 }])).toEqual(['thirdPartyLicenses.0.reactivationFeeMinor']);
    expect(issues([{ ...lic, reactivationFeeMinor: 1.5 }])).toEqual(['thirdPartyLicenses.0.reactivationFeeMinor']);
    expect(issues([{ ...lic, currency: 'EUR' }])).toEqual(['thirdPartyLicenses.0']);
    expect(issues([{ ...lic, id: 'Bad Id' }])).toEqual(['thirdPartyLicenses.0.id']);
  });
});
