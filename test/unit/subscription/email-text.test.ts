import { describe, expect, it } from 'vitest';
import {
  cancelAtTermEnd,
  createSubscription,
  lapse,
  purge,
  type Effect,
  type SubscriptionState,
} from '../../../src/domain/subscription/index.js';
import { renderEmail } from '../../../workflows/subscription/email-text';

type Mail = { subject: string; text: string };
const start = Date.parse('2027-03-01T15:00:00Z');

function mails(effects: Effect[], state: SubscriptionState): Mail[] {
  let invoice: Extract<Effect, { type: 'invoice' }> | undefined;
  const out: Mail[] = [];
  for (const e of effects) {
    if (e.type === 'invoice') invoice = e;
    if (e.type === 'email') out.push(renderEmail(e, state, invoice));
  }
  return out;
}

function created(billingCycle: 'annual' | 'monthly') {
  const r = createSubscription(
    { id: 'S-1', customerId: 'acme', planId: 'per-user-support', timeZone: 'America/Chicago', seats: 10, billingCycle, startAt: start },
    start,
  );
  if (!r.ok) throw new Error(r.reason);
  return r;
}

describe('subscription mail reads like a vendor’s', () => {
  it('welcome: the users, the dates in the customer’s zone, every invoice line and the total, what happens next', () => {
    const [mail] = mails(created('annual').effects, created('annual').state);
    expect(mail?.subject).toBe('[S-1] Your support subscription is active');
    expect(mail?.text).toContain('Your Support Subscription (per user) for 10 users runs from 1 March 2027 to 1 March 2028.');
    expect(mail?.text).toContain('  Support Subscription (per user) 1 March 2027 to 1 March 2028 (10 users): $540.00');
    expect(mail?.text).toContain('Due on 1 March 2027.');
    expect(mail?.text).toContain('We will remind you before it expires on 1 March 2028');
    // No key/value dump of the effect's data.
    expect(mail?.text).not.toMatch(/planName|termStart|termEnd/);
  });

  it('monthly billing names the instalments', () => {
    const { effects, state } = created('monthly');
    expect(mails(effects, state)[0]?.text).toContain(
      'Payable in 12 monthly instalments: $50.00 due on 1 March 2027, then $50.00 a month through 1 February 2028.',
    );
  });

  it('lapse: what stopped, until when backups are kept (not "purged on" a future date), how to come back and at what fee', () => {
    const { state } = created('annual');
    const lapsed = lapse(state, state.termEnd);
    if (!lapsed.ok) throw new Error(lapsed.reason);
    const [mail] = mails(lapsed.effects, lapsed.state);
    expect(mail?.subject).toBe('[S-1] Your support subscription expired on 1 March 2028');
    expect(mail?.text).toContain('  - the desktop and mobile softphone App');
    expect(mail?.text).toContain('Your configuration backups are kept until 30 May 2028; after that date they may be permanently deleted.');
    expect(mail?.text).toContain('a Support Reinstatement Fee of $150.00 applies');
    expect(mail?.text).not.toMatch(/backupsPurgedOn|purged on/i);

    const purged = purge(lapsed.state, lapsed.state.purgeAt ?? 0);
    if (!purged.ok) throw new Error(purged.reason);
    expect(mails(purged.effects, purged.state)[0]?.subject).toBe('[S-1] Configuration backups deleted on 30 May 2028');
  });

  it('a cancellation says support runs as paid and how to keep it', () => {
    const { state } = created('annual');
    const cancelled = cancelAtTermEnd(state, start + 86_400_000);
    if (!cancelled.ok) throw new Error(cancelled.reason);
    const [mail] = mails(cancelled.effects, cancelled.state);
    expect(mail?.text).toContain('Support continues as paid until 1 March 2028');
    expect(mail?.text).toContain('renew any time before 1 March 2028');
  });
});
