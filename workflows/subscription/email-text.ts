import type { Effect, EmailTemplate, SubscriptionState } from '../../src/domain/subscription';

type EmailEffect = Extract<Effect, { type: 'email' }>;

const subjects: Record<EmailTemplate, (d: EmailEffect['data']) => string> = {
  'subscription-created': (d) => `Your ${d.planName} subscription runs until ${d.termEnd}`,
  'renewal-reminder': (d) => `Your support subscription expires in ${d.offsetDays} days (${d.termEnd})`,
  'subscription-renewed': (d) => `Renewed: ${d.planName} from ${d.termStart} to ${d.termEnd}`,
  'subscription-lapsed': (d) => `Your support subscription expired on ${d.expiredOn}`,
  'subscription-cancelled': (d) => `Your support subscription ended on ${d.expiredOn}`,
  'cancellation-scheduled': (d) => `Your support subscription will end on ${d.termEnd}`,
  'config-backups-purged': (d) => `Configuration backups deleted on ${d.purgedOn}`,
  'subscription-reinstated': (d) => `Reinstated: support runs until ${d.termEnd}`,
  'tier-upgraded': (d) => `Upgraded from ${d.from} to ${d.to}`,
  'seats-added': (d) => `${d.added} user(s) added; ${d.seats} in total`,
  'warranty-extended': (d) => `${d.product} hardware warranty extended to ${d.warrantyEnd}`,
};

/** Subject names the event; the body lists the effect's data so support staff can answer questions. */
export function renderEmail(effect: EmailEffect, state: SubscriptionState): { subject: string; text: string } {
  const details = Object.entries(effect.data).map(([k, v]) => `${k}: ${v}`);
  return {
    subject: `[${state.id}] ${subjects[effect.template](effect.data)}`,
    text: [`Subscription ${state.id} for customer ${state.customerId}.`, ...details].join('\n'),
  };
}
