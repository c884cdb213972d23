import { currentUpdateInfo, patched, setHandler } from '@temporalio/workflow';
import { decide, type Decision, type TicketAction } from '../../src/domain/ticket/core';
import { refuse } from '../failures';
import { callbackAsRecorded } from './callback-as-recorded';
import * as c from './contract';
import { emergencyAsRecorded } from './emergency-as-recorded';
import type { TicketEffects } from './ticket-effects';
import type { TicketMachine } from './ticket-machine';

/** What handlers hand the main loop: a change to wake it, and work to run from it. */
export interface LoopInbox {
  changed: boolean;
  queue: Array<() => Promise<void>>;
}

/**
 * A customer's reply and a reopen mail the assignee (or the team lead) since issue 15; a history recorded
 * before sent nothing there, so its replay must not either.
 */
const NOTIFY_STAFF_PATCH = 'notify-staff-on-reply';
const mailsStaff = (name: c.TicketActionName) => name === 'reply' || name === 'reopen';

/**
 * A phone message on a policy that does not serve the phone is refused (003: "reserved for Premium Support
 * subscribers only"). A history recorded before accepted it; validators do not run on replay, so its
 * handler takes it as it did then: on the pinned policy read as serving every channel.
 */
const PHONE_CHANNEL_PATCH = 'phone-message-needs-phone-channel';
function decideAsRecorded(m: TicketMachine, act: TicketAction, now: number, d: Decision): Decision {
  // 000's later rules (emergency-as-recorded.ts) apply to whichever state the decision was taken on.
  if (d.ok || d.code !== 'phone_not_served' || patched(PHONE_CHANNEL_PATCH)) return emergencyAsRecorded(m.s.state, act, now, d);
  const { channels: _any, ...policy } = m.s.state.policy;
  const state = { ...m.s.state, policy };
  return emergencyAsRecorded(state, act, now, decide(state, act, now));
}

/**
 * Every staff or customer action: decide, apply, record, mail. The validator runs the same decide, so a
 * refused action never enters history; the handler decides again, as another update may have run since.
 */
function registerAction<K extends c.TicketActionName>(name: K, m: TicketMachine, fx: TicketEffects, inbox: LoopInbox): void {
  const decl = c.ticketActions[name];
  const decideOrRefuse = (arg: c.TicketActionArgs[K], now: number, inHandler = false) => {
    const act = inHandler ? callbackAsRecorded(decl.toAction(arg)) : decl.toAction(arg);
    const first = m.decide(act, now);
    const d = inHandler ? decideAsRecorded(m, act, now, first) : first;
    if (!d.ok) refuse(d.code, d.reason);
    return d;
  };
  const handler = async (arg: c.TicketActionArgs[K]): Promise<c.TicketView> => {
    const now = Date.now();
    const act = decl.toAction(arg);
    const d = decideOrRefuse(arg, now, true);
    const info = currentUpdateInfo();
    const key = `${info?.name ?? act.type}:${info?.id ?? now}`;
    const effects = m.apply(d, now);
    inbox.changed = true;
    fx.followUp = false;
    const actor = 'agent' in arg ? arg.agent : 'customer';
    const escalation = name === 'escalate' && 'summary' in arg ? { agent: actor, note: arg.summary } : undefined;
    await fx.perform(effects, key, now, escalation);
    const mail = mailsStaff(name) && (fx.followUp || !patched(NOTIFY_STAFF_PATCH)) ? undefined : fx.mail.forAction(name, arg, key, now);
    // The argument is the message (a reply's text, a note): the event carries it so the thread is written with it.
    const data = { action: act, actor, status: m.status, arg };
    await fx.commit({ key, kind: act.type, at: now, data, mails: mail ? [mail] : [] });
    return fx.followUp ? { ...m.view(), followUp: true } : m.view();
  };
  setHandler(decl.update, handler, { validator: (arg) => void decideOrRefuse(arg, Date.now()) });
}

export function registerTicketHandlers(m: TicketMachine, fx: TicketEffects, inbox: LoopInbox): void {
  for (const name of c.TICKET_ACTION_NAMES) registerAction(name, m, fx, inbox);

  setHandler(c.changePolicyUpdate, async ({ policy, calendars }) => {
    const now = Date.now();
    m.changePolicy(policy, calendars ?? {}, now);
    inbox.changed = true;
    const key = `policy:${currentUpdateInfo()?.id ?? now}`;
    await fx.commit({ key, kind: 'policy_changed', at: now, data: { policyId: policy.id, version: policy.version } });
    return m.view();
  });
  setHandler(c.changePolicySignal, ({ policy, calendars, changeId }) => {
    const pinned = m.s.policies[policy.id];
    if (pinned && pinned.version >= policy.version) return;
    const now = Date.now();
    m.changePolicy(policy, calendars ?? {}, now);
    inbox.changed = true;
    const data = { policyId: policy.id, version: policy.version };
    inbox.queue.push(() => fx.commit({ key: `policy:${changeId}`, kind: 'policy_changed', at: now, data }));
  });
  setHandler(c.changeContractSignal, ({ policy, policies, calendars, coveredBy, changeId }) => {
    const from = m.s.terms.policy;
    if (from.id === policy.id && from.version >= policy.version) return;
    const now = Date.now();
    m.changeContract(policy, policies, calendars ?? {}, now);
    m.s.coveredBy = coveredBy;
    inbox.changed = true;
    const data = { from: { policyId: from.id, version: from.version }, policyId: policy.id, version: policy.version, coveredBy };
    inbox.queue.push(() => fx.commit({ key: `contract:${changeId}`, kind: 'contract_changed', at: now, data }));
  });
  setHandler(c.ticketQuery, () => m.view());
  setHandler(c.ticketSnapshotQuery, () => m.s);

  /**
   * The development ticket reports back by signal; its records and mail run from the main loop. A report
   * carrying development's own event is written here even when this ticket cannot act on it: development
   * counts on that once its signal is delivered.
   */
  const fromDevelopment =
    (type: 'dev_update' | 'dev_resolved') =>
    ({ note, engineer, record }: c.DevReport) => {
      const now = Date.now();
      const d = m.decide({ type }, now);
      if (!d.ok) {
        if (record) inbox.queue.push(() => fx.recordDevEvent(record));
        return;
      }
      m.apply(d, now);
      inbox.changed = true;
      inbox.queue.push(async () => {
        const key = `${type}:${now}`;
        const mail = fx.mail.fromDevelopment(type, key, note, now);
        const data = { engineer, note, status: m.status };
        await fx.commit({ key, kind: type, at: now, data, mails: [mail], ...(record ? { devRecords: [record] } : {}) });
      });
    };
  setHandler(c.devProgressSignal, fromDevelopment('dev_update'));
  setHandler(c.devResolvedSignal, fromDevelopment('dev_resolved'));
}
