import {
  findPlan,
  formatMoney,
  licensesOf,
  planCatalog,
  type Effect,
  type EmailTemplate,
  type SubscriptionState,
} from '../../src/domain/subscription';
import { localDate } from '../../src/domain/subscription/zoned-time';

type EmailEffect = Extract<Effect, { type: 'email' }>;
type InvoiceEffect = Extract<Effect, { type: 'invoice' }>;
type Data = EmailEffect['data'];

/** "1 March 2027" from the domain's local `yyyy-MM-dd`: the date is already the customer's own. */
function day(local: string | number | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(local ?? ''));
  if (!m) return String(local ?? '');
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** 004's lapse list in the customer's words, for the features a plan switches off. */
const featureNames: Record<string, string> = {
  'softphone-app': 'the desktop and mobile softphone App',
  'remote-portal': 'remote portal access for users and administrators',
  'off-site-phones': 'off-site phones and devices',
  integrations: 'integrations with CRM tools and custom APIs',
  'add-extensions': 'adding phone-type extensions',
  'software-updates': 'manufacturer software updates, including bug fixes',
  'secure-remote-access': 'secure remote access by our technicians',
  'admin-notifications': 'email notifications of system administration issues and events',
  'config-backup': 'new annual configuration backups of your system',
};
const featureList = (csv: string | number | undefined) =>
  String(csv ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => `  - ${featureNames[f] ?? f}`);

/** The license names the domain put one a line into the effect's data (004's third-party licenses). */
const licenseList = (names: string | number | undefined) =>
  String(names ?? '')
    .split('\n')
    .filter(Boolean)
    .map((n) => `  - ${n}`);

function planOf(state: SubscriptionState) {
  return findPlan(state.pinned?.plans ?? planCatalog, state.planId);
}

/** The invoice block: every line with what it is for, the total, and when each part is due. */
function invoiceText(invoice: InvoiceEffect | undefined, state: SubscriptionState): string[] {
  if (!invoice) return [];
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  const lines = invoice.lines.map((l) => {
    const users = l.kind === 'subscription' && l.quantity ? ` (${l.quantity} user${l.quantity === 1 ? '' : 's'})` : '';
    return `  ${l.description.replace(/\b\d{4}-\d{2}-\d{2}\b/g, day)}${users}: ${money(l.amountMinor)}`;
  });
  const due = invoice.instalments.map((i) => day(localDate(i.dueAt, state.timeZone)));
  const when =
    invoice.instalments.length === 0
      ? 'Nothing is due.'
      : invoice.instalments.length === 1
        ? `Due on ${due[0]}.`
        : `Payable in ${invoice.instalments.length} monthly instalments: ${money(invoice.instalments[0]?.amountMinor ?? 0)} due on ${due[0]}, then ${money(invoice.instalments.at(-1)?.amountMinor ?? 0)} a month through ${due.at(-1)}.`;
  return ['', 'Your invoice:', ...lines, `  Total: ${money(invoice.totalMinor)}`, when];
}

interface Mail {
  subject: string;
  body: (d: Data) => string[];
  /** What the customer does next, if anything. */
  next?: (d: Data) => string;
  showInvoice?: boolean;
}

function templates(state: SubscriptionState): Record<EmailTemplate, Mail> {
  const plan = planOf(state);
  const fee = plan && plan.reinstatement.feeMinor > 0 ? formatMoney(plan.reinstatement.feeMinor, plan.currency) : undefined;
  // 004: "Related third-party features or services may require additional reactivation fees".
  const licenseFees = licensesOf(plan)
    .filter((l) => l.reactivationFeeMinor > 0)
    .map((l) => `${l.name} ${formatMoney(l.reactivationFeeMinor, plan?.currency ?? state.currency)}`);
  const reactivation = licenseFees.length ? ` Reactivating the third-party licenses costs ${licenseFees.join(', ')} on top.` : '';
  const reinstateAdvice = (expired: string | number | undefined) =>
    `To restore service, reinstate the subscription: the renewal is backfilled to the original expiry date, ${day(expired)}${fee ? `, and a Support Reinstatement Fee of ${fee} applies` : ''}.${reactivation}`;
  const licensesOff = (d: Data) =>
    d.licenses
      ? ['These third-party licenses included with your subscription were deactivated and canceled:', ...licenseList(d.licenses)]
      : [];
  const users = plan?.pricing.kind === 'per-seat' ? ` for ${state.seats} user${state.seats === 1 ? '' : 's'}` : '';
  return {
    'subscription-created': {
      subject: 'Your support subscription is active',
      body: (d) => [`Thank you for your order. Your ${d.planName}${users} runs from ${day(d.termStart)} to ${day(d.termEnd)}.`],
      next: (d) =>
        state.autoRenew
          ? `It renews automatically on ${day(d.termEnd)}; we will write before then.`
          : `We will remind you before it expires on ${day(d.termEnd)}; renew by then to keep support and updates without a gap.`,
      showInvoice: true,
    },
    'renewal-reminder': {
      subject: 'Your support subscription expires in {offsetDays} days',
      body: (d) => [`Your support subscription expires in ${d.offsetDays} days, on ${day(d.termEnd)}.`],
      next: (d) =>
        d.autoRenew === 'yes'
          ? `It renews automatically on ${day(d.termEnd)}; there is nothing you need to do.`
          : `Renew before ${day(d.termEnd)} to keep technical support, software updates and your subscription features. After that date they stop, and a later renewal is backfilled to the expiry date${fee ? ` with a Support Reinstatement Fee of ${fee}` : ''}.`,
    },
    'subscription-renewed': {
      subject: 'Your support subscription is renewed until {termEnd}',
      body: (d) => [`Your ${d.planName}${users} is renewed from ${day(d.termStart)} to ${day(d.termEnd)}.`],
      showInvoice: true,
    },
    'subscription-lapsed': {
      subject: 'Your support subscription expired on {expiredOn}',
      body: (d) => [
        `Your support subscription expired on ${day(d.expiredOn)} and was not renewed. Technical support has ended, and these stopped working on that date:`,
        ...featureList(d.features),
        ...licensesOff(d),
        `Your configuration backups are kept until ${day(d.backupsPurgedOn)}; after that date they may be permanently deleted.`,
      ],
      next: (d) => reinstateAdvice(d.expiredOn),
    },
    'subscription-cancelled': {
      subject: 'Your support subscription ended on {expiredOn}',
      body: (d) => [
        `As you asked, your support subscription ended on ${day(d.expiredOn)}. Technical support has ended, and these stopped working on that date:`,
        ...featureList(d.features),
        ...licensesOff(d),
        `Your configuration backups are kept until ${day(d.backupsPurgedOn)}; after that date they may be permanently deleted.`,
      ],
      next: (d) => `If you change your mind: ${reinstateAdvice(d.expiredOn)}`,
    },
    'cancellation-scheduled': {
      subject: 'Your support subscription will end on {termEnd}',
      body: (d) => [
        `As you asked, your subscription will not renew. Support continues as paid until ${day(d.termEnd)}; subscriptions are prepaid, so nothing is cut short.`,
      ],
      next: (d) => `To keep it after all, renew any time before ${day(d.termEnd)}.`,
    },
    'config-backups-purged': {
      subject: 'Configuration backups deleted on {purgedOn}',
      body: (d) => [
        `The configuration backups of your system were permanently deleted from our archive on ${day(d.purgedOn)}, as your subscription expired on ${day(d.expiredOn)} and was not reinstated.`,
      ],
      next: (d) => `${reinstateAdvice(d.expiredOn)} A restore from those backups is no longer possible.`,
    },
    'subscription-reinstated': {
      subject: 'Your support subscription is reinstated until {termEnd}',
      body: (d) => [
        `Your support subscription is reinstated and runs until ${day(d.termEnd)}; your subscription features are back on.`,
        `As the terms say, the renewal is backfilled to the original expiry date, ${day(d.backfilledFrom)} (${d.yearsBilled} year${Number(d.yearsBilled) === 1 ? '' : 's'} billed); requests made while it had lapsed are not covered.`,
        ...(d.licenses
          ? [
              'These third-party licenses are active again; their reactivation fees, where they apply, are on the invoice:',
              ...licenseList(d.licenses),
            ]
          : []),
        ...(d.backupsPurged === 'yes'
          ? ['Your configuration backups had already been deleted; the next annual backup starts a new archive.']
          : []),
      ],
      showInvoice: true,
    },
    'tier-upgraded': {
      subject: 'Upgraded from {from} to {to}',
      body: (d) => [
        `Your subscription is upgraded from ${d.from} to ${d.to}, effective ${day(d.effectiveFrom)}. The difference is charged for the rest of the term.`,
      ],
      showInvoice: true,
    },
    'seats-added': {
      subject: 'Users added: {seats} in total',
      body: (d) => [
        `${d.added} user${Number(d.added) === 1 ? '' : 's'} added: your subscription now covers ${d.seats} users. New users are prorated to ${day(localDate(state.termEnd, state.timeZone))}.`,
      ],
      showInvoice: true,
    },
    'warranty-extended': {
      subject: '{product} hardware warranty extended to {warrantyEnd}',
      body: (d) => [`The hardware warranty of your ${d.product} now runs until ${day(d.warrantyEnd)}.`],
      showInvoice: true,
    },
  };
}

/** Placeholders in a subject, dates among them written as the customer reads them. */
const fill = (subject: string, d: Data) =>
  subject.replace(/\{(\w+)\}/g, (_m, k: string) => (/^\d{4}-\d{2}-\d{2}$/.test(String(d[k])) ? day(d[k]) : String(d[k] ?? '')));

/**
 * A vendor's mail: what happened, the amounts of the invoice it produced, the dates in the customer's
 * zone (the domain computes them there), and what to do next. Rendered inside the workflow from the
 * effect and the invoice of the same operation; only the activity's input changes with the wording,
 * so histories replay unchanged.
 */
export function renderEmail(effect: EmailEffect, state: SubscriptionState, invoice?: InvoiceEffect): { subject: string; text: string } {
  const mail = templates(state)[effect.template];
  const next = mail.next?.(effect.data);
  return {
    subject: `[${state.id}] ${fill(mail.subject, effect.data)}`,
    text: [
      'Hello,',
      '',
      ...mail.body(effect.data),
      ...(mail.showInvoice ? invoiceText(invoice, state) : []),
      ...(next ? ['', next] : []),
      '',
      `Subscription ${state.id}, customer ${state.customerId}. Reply to this message with any question.`,
      'Support',
    ].join('\n'),
  };
}
