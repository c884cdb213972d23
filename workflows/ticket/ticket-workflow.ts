import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { EmailMessage } from '../../activities/mail-activities';
import type { TicketEventRecord, TicketRecord } from '../../activities/ticket-activities';
import { clockLabel, describeDue, type SideEffect, type TicketAction } from '../../src/domain/ticket/core';
import { NextDeadlineKey, SlaBreachedKey, SlaStateKey, TicketPriorityKey, TicketStatusKey } from '../search-attributes';
import * as c from './contract';
import { devTicketWorkflow } from './dev-ticket-workflow';
import { TicketMachine, type Pending } from './ticket-machine';
import { TicketMail } from './ticket-mail';

const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
} as const;
const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/** Every activity carries a one-line summary, so an operator reads the history without opening payloads. */
const send = (msg: EmailMessage) => acts.sendEmail.executeWithOptions({ ...ACTIVITY_OPTIONS, summary: `mail ${msg.to}: ${msg.subject}`.slice(0, 200) }, [msg]);
const recordEvent = (e: TicketEventRecord) => acts.recordTicketEvent.executeWithOptions({ ...ACTIVITY_OPTIONS, summary: `record ${e.kind} (${e.eventKey})`.slice(0, 200) }, [e]);

function reject(code: string, reason: string): never {
  throw ApplicationFailure.create({ type: c.InvalidTransitionError, message: reason, nonRetryable: true, details: [{ code }] });
}

export async function ticketWorkflow(input: c.OpenTicketInput): Promise<c.TicketView> {
  const m = new TicketMachine(input);
  const mail = new TicketMail(input, m);
  const id = input.ticketId;
  let assigneeEmail = input.assignee?.email;
  let changed = false;
  let followUp = false;

  /** Writes the ticket row, with the event that changed it when there is one, and refreshes what operators see. */
  const persist = async (change?: { key: string; kind: string; at: number; data?: Record<string, unknown> }) => {
    m.s.version += 1;
    const v = m.view();
    const next = m.next();
    upsertSearchAttributes([
      { key: TicketStatusKey, value: v.status },
      { key: TicketPriorityKey, value: v.priority },
      { key: SlaStateKey, value: v.slaState },
      { key: SlaBreachedKey, value: v.slaState === c.SlaState.Breached },
      { key: NextDeadlineKey, value: next ? new Date(next.at) : null },
    ]);
    setCurrentDetails(
      [`**${v.status}** · ${v.priority} · SLA ${v.slaState} · policy ${v.policyId}@${v.policyVersion}`, ...Object.entries(v.deadlines).map(([k, at]) => `- ${k}: ${at}`)].join('\n'),
    );
    const ticket: TicketRecord = {
      ticketId: id,
      workflowId: workflowInfo().workflowId,
      customerId: input.customerId,
      resellerId: input.resellerId,
      policyId: v.policyId,
      policyVersion: v.policyVersion,
      priority: v.priority,
      status: v.status,
      slaState: v.slaState,
      subject: input.subject,
      description: input.description,
      fields: input.fields,
      channel: input.channel,
      requesterEmail: input.requesterEmail,
      assignee: v.assignee,
      parentTicketId: input.parentTicketId,
      deadlines: v.deadlines,
      openedAt: input.openedAt,
      firstRespondedAt: v.firstRespondedAt,
      resolvedAt: v.resolvedAt,
      closedAt: v.closedAt,
      version: v.version,
      at: Date.now(),
    };
    const summary = `record ticket v${v.version}: ${v.status}, SLA ${v.slaState}`;
    if (!change) return acts.recordTicket.executeWithOptions({ ...ACTIVITY_OPTIONS, summary }, [ticket]);
    const event: TicketEventRecord = { ticketId: id, eventKey: change.key, kind: change.kind, at: change.at, data: change.data ?? {} };
    return acts.recordTicketChange.executeWithOptions({ ...ACTIVITY_OPTIONS, summary: `${summary}; ${change.kind} (${change.key})`.slice(0, 200) }, [{ ticket, event }]);
  };
  const event = (key: string, kind: string, at: number, data: Record<string, unknown> = {}) => recordEvent({ ticketId: id, eventKey: key, kind, at, data });

  const performSideEffects = async (effects: SideEffect[], key: string, now: number) => {
    for (const e of effects) {
      if (e.type === 'open_dev_ticket') {
        await startChild(devTicketWorkflow, {
          workflowId: c.devTicketWorkflowId(id),
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: `Development ticket for ${id}`,
          args: [{ ticketId: id, parentWorkflowId: workflowInfo().workflowId, customerId: input.customerId, summary: input.subject, policy: m.s.terms.policy, calendars: m.s.calendars, priority: m.s.terms.priority, devTeamEmail: input.contacts.devTeamEmail, openedAt: now }],
        });
      } else if (e.type === 'close_dev_ticket') {
        await getExternalWorkflowHandle(c.devTicketWorkflowId(id))
          .cancel()
          .catch(() => undefined);
      } else if (e.type === 'refund') {
        await event(`${key}:refund`, 'refund', now, { amountMinor: e.amount.amountMinor, currency: e.amount.currency });
      } else if (e.type === 'open_follow_up_ticket') {
        followUp = true;
      }
    }
  };

  /** Every staff or customer action: decide, apply, record, mail. The validator runs the same decide. */
  const action = (def: Parameters<typeof setHandler>[0], toAction: (arg: never) => TicketAction, notify?: (arg: never, key: string) => Promise<unknown>) => {
    const validator = (arg: never) => {
      const d = m.decide(toAction(arg), Date.now());
      if (!d.ok) reject(d.code, d.reason);
    };
    const handler = async (arg: never): Promise<c.TicketView> => {
      const now = Date.now();
      const act = toAction(arg);
      const d = m.decide(act, now);
      if (!d.ok) reject(d.code, d.reason);
      const key = `${currentUpdateInfo()?.name ?? act.type}:${currentUpdateInfo()?.id ?? now}`;
      const effects = m.apply(d, now);
      changed = true;
      followUp = false;
      await performSideEffects(effects, key, now);
      await persist({ key, kind: act.type, at: now, data: { action: act as unknown as Record<string, unknown>, actor: (arg as { agent?: string }).agent ?? 'customer', status: m.status } });
      if (notify) await notify(arg, key);
      return followUp ? { ...m.view(), followUp: true } as c.TicketView : m.view();
    };
    setHandler(def as never, handler as never, { validator } as never);
  };

  const toCustomer = (subject: string, body: string) => (_: unknown, key: string) => send(mail.toCustomer(key, subject, body));
  action(c.respondUpdate, () => ({ type: 'respond' }), (a: c.MessageInput, key) => send(mail.toCustomer(key, 'Reply from support', a.message)));
  action(c.requestInfoUpdate, () => ({ type: 'request_info' }), (a: c.MessageInput, key) => send(mail.toCustomer(key, 'We need more information', a.message)));
  action(c.customerReplyUpdate, () => ({ type: 'customer_reply' }));
  action(c.changePriorityUpdate, (a: { priority: c.OpenTicketInput['priority'] }) => ({ type: 'change_priority', priority: a.priority }), (a: { priority: string }, key) => send(mail.toCustomer(key, `Priority changed to ${a.priority}`, 'The priority of your ticket changed; the commitments below replace the earlier ones.')));
  action(c.assignUpdate, (a: { assignee: string }) => ({ type: 'assign', assignee: a.assignee }), (a: { assigneeEmail: string; assignee: string }, key) => {
    assigneeEmail = a.assigneeEmail;
    return send(mail.toStaff(key, a.assigneeEmail, 'Ticket assigned to you', `${a.assignee}, this ticket is yours.`));
  });
  action(c.escalateUpdate, () => ({ type: 'escalate' }), toCustomer('Escalated to development', 'Your issue was identified as a defect and passed to our development team. We will keep you updated.'));
  action(c.markMitigatedUpdate, () => ({ type: 'mark_mitigated' }), toCustomer('Critical issue addressed', 'The critical issue is addressed. The ticket continues during business hours.'));
  action(c.downgradeEmergencyUpdate, () => ({ type: 'downgrade_emergency' }), (a: { reason: string }, key) => send(mail.toCustomer(key, 'Emergency fee refunded', `We judged this request not to be an emergency (${a.reason}); the emergency fee is refunded and the issue continues through standard support.`)));
  action(c.resolveUpdate, (a: c.ResolveInput) => ({ type: 'resolve', kind: a.resolution }), (a: c.ResolveInput, key) => send(mail.toCustomer(key, `Resolved with a ${a.resolution}`, a.note ?? 'Your ticket is resolved. Reply to reopen it.')));
  action(c.reopenUpdate, () => ({ type: 'reopen' }));
  action(c.closeUpdate, () => ({ type: 'close', by: 'staff' }), toCustomer('Ticket closed', 'Your ticket is closed.'));

  setHandler(c.changePolicyUpdate, async ({ policy, calendars }) => {
    const now = Date.now();
    m.changePolicy(policy, calendars ?? {}, now);
    changed = true;
    const key = `policy:${currentUpdateInfo()?.id ?? now}`;
    await persist({ key, kind: 'policy_changed', at: now, data: { policyId: policy.id, version: policy.version } });
    return m.view();
  });
  setHandler(c.ticketQuery, () => m.view());
  const queue: Array<() => Promise<void>> = [];
  /** The development ticket reports back by signal; its records and mail run from the main loop. */
  const fromDevelopment = (type: 'dev_update' | 'dev_resolved', subject: string) => ({ note, engineer }: { note: string; engineer: string }) => {
    const now = Date.now();
    const d = m.decide({ type }, now);
    if (!d.ok) return;
    m.apply(d, now);
    changed = true;
    queue.push(async () => {
      const key = `${type}:${now}`;
      await persist({ key, kind: type, at: now, data: { engineer, note } });
      await send(mail.toCustomer(key, subject, note));
    });
  };
  setHandler(c.devProgressSignal, fromDevelopment('dev_update', 'Update from development'));
  setHandler(c.devResolvedSignal, fromDevelopment('dev_resolved', 'Development has fixed the issue'));

  const fire = async (p: Pending, now: number) => {
    m.fire(p, now);
    const zone = m.s.terms.policy.zone;
    if (p.type === 'warning' && p.clock) {
      const due = m.deadlines()[p.clock] ?? p.at;
      await persist({ key: p.key, kind: 'warning', at: p.at, data: { clock: p.clock, fraction: p.fraction, dueAt: due, firedAt: now } });
      await send(mail.warning(p.clock, p.fraction ?? 0, due, assigneeEmail ?? input.contacts.teamLeadEmail, p.key));
    } else if (p.type === 'breach' && p.clock) {
      await persist({ key: p.key, kind: 'breach', at: p.at, data: { clock: p.clock, firedAt: now } });
      const to = [...(assigneeEmail ? [[assigneeEmail, 'assignee']] : []), [input.contacts.teamLeadEmail, 'lead']] as const;
      await Promise.all(to.map(([addr, role]) => send(mail.breach(p.clock!, p.at, addr, `${p.key}:${role}`))));
    } else if (p.type === 'periodic_update') {
      await persist({ key: p.key, kind: 'periodic_update', at: p.at, data: { firedAt: now, status: m.status } });
      await send(mail.toCustomer(p.key, 'Status update', `Your ticket is ${m.status.replaceAll('_', ' ')}. We are working on it and will update you again by ${describeDue('the next update', m.deadlines().periodic_update ?? now, zone).replace('the next update due ', '')}.`));
    } else if (p.type === 'auto_close') {
      const d = m.decide({ type: 'close', by: 'system' }, now);
      if (d.ok) {
        m.apply(d, now);
        await persist({ key: p.key, kind: 'close', at: now, data: { by: 'system' } });
        await send(mail.toCustomer(p.key, 'Ticket closed', 'Your ticket was closed automatically after the resolution went unanswered.'));
      }
    }
  };

  if (!input.resume) {
    await persist({ key: 'opened', kind: 'opened', at: input.openedAt, data: { policyId: input.policy.id, policyVersion: input.policy.version, priority: input.priority, deadlines: m.view().deadlines } });
    await send(mail.acknowledgment());
  }

  for (;;) {
    while (queue.length) await queue.shift()!();
    const now = Date.now();
    for (const p of m.due(now)) {
      // An update handled while an earlier item's activities ran may have made this one moot (a reply stops a clock).
      if (m.pending.some((q) => q.key === p.key)) await fire(p, now);
    }
    if (m.finished(Date.now())) break;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof ticketWorkflow>({ ...input, resume: m.s });
    }
    const next = m.next();
    changed = false;
    if (next) {
      const label = next.type === 'breach' || next.type === 'warning' ? `${clockLabel(next.clock!)} ${next.type === 'warning' ? `${Math.round((next.fraction ?? 0) * 100)}% warning` : 'deadline'}` : next.type.replaceAll('_', ' ');
      await condition(() => changed || queue.length > 0, Math.max(0, next.at - Date.now()), { summary: describeDue(label, next.at, m.s.terms.policy.zone) });
    } else {
      await condition(() => changed || queue.length > 0);
    }
  }
  await condition(allHandlersFinished);
  return m.view();
}
