import { clockLabel, describeDue, excludedTopic, formatInstant, type ClockKind, type SupportPolicy } from '../../src/domain/ticket/core';
import type { EmailMessage } from '../../activities/mail-activities';
import { formatMoney } from '../../src/domain/subscription/money-text';
import type { OpenTicketInput, TicketActionArgs, TicketActionName } from './contract';
import type { TicketMachine } from './ticket-machine';

/** Customer and staff emails; every deadline is written in the recipient's zone, with the zone named. */
export class TicketMail {
  constructor(
    private readonly input: OpenTicketInput,
    private readonly m: TicketMachine,
  ) {}

  private get zone(): string {
    return this.input.requesterZone ?? this.m.s.terms.policy.zone;
  }

  private get staffZone(): string {
    return this.m.s.terms.policy.zone;
  }

  private subject(text: string): string {
    return `[${this.input.ticketId}] ${text}`;
  }

  /** Only deadlines still ahead are commitments; one already passed is named as missed, never as promised. */
  private dueLines(zone: string, now: number): string {
    const line = ([k, at]: [string, number]) => `  ${clockLabel(k as ClockKind)}: ${formatInstant(at, zone)}`;
    const all = Object.entries(this.m.deadlines());
    const ahead = all.filter(([, at]) => at > now).map(line);
    const missed = all.filter(([, at]) => at <= now).map(line);
    return [
      ...(ahead.length ? [`Current commitments:\n${ahead.join('\n')}`] : []),
      ...(missed.length ? [`Missed, being worked on:\n${missed.join('\n')}`] : []),
    ].join('\n');
  }

  /**
   * 002: "E-MetroTel support to End Users is performed in conjunction with the End User's authorized
   * E-MetroTel Reseller": while the ticket's policy says so, the reseller is copied on the thread. Read from
   * the input and the pinned policy, so a retried send copies the same people.
   */
  private get cc(): string[] {
    const cc = this.input.resellerCc ?? [];
    return cc.length && this.m.s.state.policy.copyReseller ? cc : [];
  }

  toCustomer(key: string, subject: string, body: string, now: number): EmailMessage {
    const cc = this.cc;
    return {
      dedupeKey: `ticket:${this.input.ticketId}:${key}`,
      ...(this.input.inboundMessageId ? { threadRoot: this.input.inboundMessageId } : {}),
      to: this.input.requesterEmail,
      ...(cc.length ? { cc } : {}),
      subject: this.subject(subject),
      text: `${body}\n\n${this.dueLines(this.zone, now)}\n`,
    };
  }

  toStaff(key: string, to: string, subject: string, body: string, now: number): EmailMessage {
    const { input, m } = this;
    const policy = `${m.s.terms.policy.id}@${m.s.terms.policy.version}, priority ${m.s.state.priority}`;
    return {
      dedupeKey: `ticket:${input.ticketId}:${key}`,
      ...(input.inboundMessageId ? { threadRoot: input.inboundMessageId } : {}),
      to,
      subject: this.subject(subject),
      text: [
        body,
        '',
        `Customer: ${input.customerId}`,
        `Subject: ${input.subject}`,
        `Policy: ${policy}`,
        this.dueLines(this.staffZone, now),
        '',
      ].join('\n'),
    };
  }

  /** Assigned staff, else the team lead. */
  get staffTo(): string {
    return this.m.s.state.assigneeEmail ?? this.input.contacts.teamLeadEmail;
  }

  acknowledgment(now: number): EmailMessage {
    const { input } = this;
    // 003: "someone will call you back"; the deadline is among the commitments below.
    const callback = this.m.s.state.callbackPending
      ? ` We will call you back on ${input.fields.callbackPhone ?? 'the number you left'}.`
      : '';
    return this.toCustomer('ack', `We received your request: ${input.subject}`, `Your ticket ${input.ticketId} is open.${callback}`, now);
  }

  /** The mail an accepted action sends, or none. */
  forAction<K extends TicketActionName>(name: K, arg: TicketActionArgs[K], key: string, now: number): EmailMessage | undefined {
    const text = actionMail[name](arg, this.input, this.m.s.state.policy);
    if (!text) return undefined;
    const from = text.fromName ? { fromName: text.fromName } : {};
    if (text.to === 'assignee') return { ...this.toStaff(key, this.staffTo, text.subject, text.body, now), ...from };
    return { ...this.toCustomer(key, text.subject, text.body, now), ...from };
  }

  warning(clock: ClockKind, fraction: number, dueAt: number, key: string, now: number): EmailMessage {
    const subject = `SLA warning: ${clockLabel(clock)} ${Math.round(fraction * 100)}% used`;
    return this.toStaff(key, this.staffTo, subject, `The ${clockLabel(clock)} deadline is ${formatInstant(dueAt, this.staffZone)}.`, now);
  }

  breach(clock: ClockKind, dueAt: number, to: string, key: string, now: number): EmailMessage {
    const body = `The ${clockLabel(clock)} deadline ${formatInstant(dueAt, this.staffZone)} has passed.`;
    return this.toStaff(key, to, `SLA breach: ${clockLabel(clock)} missed`, body, now);
  }

  periodicUpdate(key: string, now: number): EmailMessage {
    const next = this.m.deadlines().periodic_update ?? now;
    const by = describeDue('the next update', next, this.m.s.terms.policy.zone).replace('the next update due ', '');
    const body = `Your ticket is ${this.m.status.replaceAll('_', ' ')}. We are working on it and will update you again by ${by}.`;
    return this.toCustomer(key, 'Status update', body, now);
  }

  fromDevelopment(type: 'dev_update' | 'dev_resolved', key: string, note: string, now: number): EmailMessage {
    const subject = type === 'dev_update' ? 'Update from development' : 'Development has fixed the issue';
    return this.toCustomer(key, subject, note, now);
  }

  cancelled(key: string, now: number): EmailMessage {
    return this.toCustomer(
      key,
      'Ticket cancelled',
      'Your ticket was cancelled by our support operations; no further deadlines apply to it.',
      now,
    );
  }

  autoClosed(key: string, now: number): EmailMessage {
    return this.toCustomer(key, 'Ticket closed', 'Your ticket was closed automatically after the resolution went unanswered.', now);
  }
}

interface ActionText {
  subject: string;
  body: string;
  to?: 'assignee';
  /** The staff member who wrote it, named as the sender. */
  fromName?: string;
}

/**
 * 000: "the emergency support costs may be refunded": the mail says a refund only where the sale's
 * refundOnDowngrade gave one (decide() reads the same flag), and names what was paid either way.
 */
function downgraded(reason: string, purchase: OpenTicketInput['purchase']): ActionText {
  const judged = `We judged this request not to be an emergency (${reason})`;
  const standard = 'the issue continues through standard support during business hours';
  if (!purchase) return { subject: 'Continued as standard support', body: `${judged}; ${standard}.` };
  const paid = `${formatMoney(purchase.amountMinor, purchase.currency)} you paid for ${purchase.product} (payment ${purchase.paymentReference})`;
  if (purchase.refundOnDowngrade) return { subject: 'Emergency fee refunded', body: `${judged}; the ${paid} is refunded and ${standard}.` };
  return { subject: 'Continued as standard support', body: `${judged}; ${standard}. The ${paid} is not refundable.` };
}

/** A person answers, by name, with what they wrote (issue 15, item 4). */
const fromStaff = (agent: string, message: string) => `${agent} wrote:\n\n${message}`;

/**
 * 003: "It does not include advice on: message composition, HTML code, deliverability … For these needs the
 * following options are available: Pre-Paid Hours, Full Service and Delivery+ Package." Both from the policy.
 */
function outOfScope(topicId: string | undefined, policy: SupportPolicy, note: string | undefined): ActionText {
  const topic = excludedTopic(policy, topicId)?.label ?? topicId ?? 'this topic';
  const offers = policy.scopeExclusions?.alternatives ?? [];
  const list = offers.length > 1 ? `${offers.slice(0, -1).join(', ')} and ${offers.at(-1)}` : (offers[0] ?? '');
  const options = list ? ` For these needs the following options are available: ${list}.` : '';
  const body = `Your request concerns ${topic}, which is outside the support included in your plan (${policy.name}).${options}`;
  return { subject: 'Outside the included support', body: note ? `${body}\n\n${note}` : body };
}

type MailOf<K extends TicketActionName> = (arg: TicketActionArgs[K], input: OpenTicketInput, policy: SupportPolicy) => ActionText | null;

/** What each accepted action tells the customer (or the new assignee); null: nothing is mailed. */
const actionMail: { [K in TicketActionName]: MailOf<K> } = {
  respond: (a, input) => ({ subject: `Re: ${input.subject}`, body: fromStaff(a.agent, a.message), fromName: a.agent }),
  'request-info': (a) => ({ subject: 'We need more information', body: fromStaff(a.agent, a.message), fromName: a.agent }),
  // Whoever owns the ticket hears of the reply; the team lead when nobody does (issue 15, item 4).
  reply: (a, input) => ({
    subject: a.author ? 'Reseller replied' : 'Customer replied',
    body: `${a.author ? (a.author.email ?? `reseller ${a.author.resellerId}`) : input.requesterEmail} wrote:\n\n${a.message}`,
    to: 'assignee',
  }),
  // Whoever owns the ticket is the one to make the call (003: "someone will call you back").
  'phone-message': (a) => {
    const when = a.callbackAt ? `, at the time the customer asked for (${a.callbackAt})` : '';
    return {
      subject: 'Phone message: call the customer back',
      body: `Call back on ${a.callbackPhone}${when}.\n\n${a.message}`,
      to: 'assignee',
    };
  },
  callback: (a) => ({ subject: 'We called you back', body: a.note ?? 'We returned your call about this ticket.' }),
  priority: (a) => ({
    subject: `Priority changed to ${a.priority}`,
    body: 'The priority of your ticket changed; the commitments below replace the earlier ones.',
  }),
  assign: (a) => ({ subject: 'Ticket assigned to you', body: `${a.assignee}, this ticket is yours.`, to: 'assignee' }),
  escalate: () => ({
    subject: 'Escalated to development',
    body: 'Your issue was identified as a defect and passed to our development team. We will keep you updated.',
  }),
  mitigate: () => ({
    subject: 'Critical issue addressed',
    body: 'The critical issue is addressed. The ticket continues during business hours.',
  }),
  downgrade: (a, input) => downgraded(a.reason, input.purchase),
  resolve: (a, _input, policy) =>
    a.resolution === 'out_of_scope'
      ? outOfScope(a.topic, policy, a.note)
      : { subject: `Resolved with a ${a.resolution}`, body: a.note ?? 'Your ticket is resolved. Reply to reopen it.' },
  reopen: (a) => ({ subject: 'Ticket reopened', body: `${a.agent} reopened the ticket; its clocks run again.`, to: 'assignee' }),
  close: () => ({ subject: 'Ticket closed', body: 'Your ticket is closed.' }),
};
