import {
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setCurrentDetails,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EmailMessage } from '../../activities/mail-activities';
import type { TicketRecord } from '../../activities/ticket-activities';
import type { SideEffect } from '../../src/domain/ticket/core';
import { acts, localActs, withLocalSummary, withSummary } from '../activity-options';
import { RefusedEffects } from '../refused-effects';
import { ticketSearchAttributes } from '../search-attributes';
import { clockChanges, clockStatuses } from './clock-changes';
import * as c from './contract';
import { devTicketWorkflow } from './dev-ticket-workflow';
import type { Pending, TicketMachine } from './ticket-machine';
import { TicketMail } from './ticket-mail';

export interface Change {
  key: string;
  kind: string;
  at: number;
  data?: Record<string, unknown>;
  /** The mails sent for this change: their messages are written with the event (issue 15). */
  mails?: EmailMessage[];
  /** Events of the development ticket this change reports, written in the same commit (c.DevReport). */
  devRecords?: c.DevRecord[];
}

/** What the escalating agent hands development with the customer's report (seed 001 step 3). */
export interface EscalationNote {
  agent: string;
  note: string;
}

/**
 * Everything the ticket workflow does to the world: the row and its event (one activity, one
 * transaction), what operators see, mail, the development child. Each is keyed by the event that
 * caused it, so a retried activity writes and mails once.
 */
export class TicketEffects {
  readonly mail: TicketMail;
  /** Set by a reply to a ticket that is over: the API opens the follow-up ticket. */
  followUp = false;
  /** Effects refused for good; shown to operators, while the ticket's timers go on. */
  private readonly refusals = new RefusedEffects();
  /** Issue 16's one-step changes (`commits` in the input); off for tickets opened before. */
  readonly oneStep: boolean;
  /** The one step as a local activity (`commits: 'local'`). */
  readonly local: boolean;
  /** The clocks as last recorded, so each event carries what it did to them; a new ticket starts from none. */
  private clocksRecorded: ReturnType<typeof clockStatuses>;
  /** `commits: 'serial'`: the commit running now, which the next one waits for (CommitMode says why). */
  private readonly serial: boolean;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly input: c.OpenTicketInput,
    private readonly m: TicketMachine,
  ) {
    this.mail = new TicketMail(input, m);
    this.oneStep = input.commits !== undefined;
    this.local = input.commits === 'local' || input.commits === 'serial';
    this.serial = input.commits === 'serial';
    this.clocksRecorded = input.resume ? this.clockStatuses() : {};
  }

  private clockStatuses() {
    return clockStatuses(this.m.s.clocks, this.m.calendarOf(this.m.s.terms.policy), Date.now());
  }

  send(msg: EmailMessage): Promise<unknown> {
    return this.guard('mail', () => acts.sendEmail.executeWithOptions(withSummary(`mail ${msg.to}: ${msg.subject}`), [msg]));
  }

  private guard(what: string, run: () => Promise<unknown>): Promise<void> {
    return this.refusals.guard(what, run, () => this.details());
  }

  private details(): string {
    const v = this.m.view();
    const deadlines = Object.entries(v.deadlines).map(([k, at]) => `- ${k}: ${at}`);
    return [
      `**${v.status}** · ${v.priority} · SLA ${v.slaState} · policy ${v.policyId}@${v.policyVersion}`,
      ...deadlines,
      ...this.refusals.lines(),
    ].join('\n');
  }

  /**
   * A change recorded and its mails sent. One step (issue 16): a single activity, and only the search
   * attributes whose value moved. Tickets opened before keep the two steps their histories hold: the
   * row (with every attribute upserted), then each mail.
   */
  commit(change: Change, via: 'local-activity' | 'activity-task' = 'local-activity'): Promise<void> {
    return this.oneAtATime(() => this.commitNow(change, via));
  }

  /**
   * Runs `write` at once when no other write is running (the commands come in the order they did under
   * 'local'), else after it. The row and search attributes are prepared when the write starts, so they
   * show the state at that moment and versions reach the database in order.
   */
  private async oneAtATime(write: () => Promise<void>): Promise<void> {
    if (!this.serial) return write();
    while (this.inFlight) await this.inFlight;
    const running = write();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight = settled;
    try {
      await running;
    } finally {
      if (this.inFlight === settled) this.inFlight = undefined;
    }
  }

  private async commitNow(change: Change, via: 'local-activity' | 'activity-task'): Promise<void> {
    if (!this.oneStep) {
      await this.persist(change);
      const mails = change.mails ?? [];
      if (mails.length) await Promise.all(mails.map((msg) => this.send(msg)));
      return;
    }
    const { ticket, event, summary } = this.prepare(change);
    this.upsertChanged(ticket);
    const mails = change.mails?.length ? { mails: change.mails } : {};
    const args = { ticket, event, ...mails, ...(change.devRecords ? { alsoEvents: change.devRecords } : {}) };
    await this.guard('record', async () => {
      const result =
        this.local && via === 'local-activity'
          ? await localActs.commitTicketChange.executeWithOptions(withLocalSummary(summary), [args])
          : await acts.commitTicketChange.executeWithOptions(withSummary(summary), [args]);
      for (const [key, r] of Object.entries(result.mails)) {
        if (typeof r === 'object') this.refusals.note('mail', `${key}: ${r.refused}`, () => this.details());
      }
    });
  }

  /** Writes the ticket row with the event that changed it, and refreshes what operators see (two-step path). */
  async persist(change: Change): Promise<void> {
    const { ticket, event, summary, nextDeadline } = this.prepare(change);
    upsertSearchAttributes(ticketSearchAttributes({ ...ticket, nextDeadline }));
    const mails = change.mails?.length ? { mails: change.mails } : {};
    const also = change.devRecords ? { alsoEvents: change.devRecords } : {};
    await this.guard('record', () =>
      acts.recordTicketChange.executeWithOptions(withSummary(summary), [{ ticket, event, ...mails, ...also }]),
    );
  }

  /** Upserts only the attributes whose value moved: each upsert is a billed action and a history event. */
  private upsertChanged(t: TicketRecord): void {
    const current = workflowInfo().typedSearchAttributes;
    const wanted = ticketSearchAttributes({ ...t, nextDeadline: this.nextDeadline() });
    const same = (a: unknown, b: unknown) =>
      (a ?? null) === (b ?? null) || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime());
    const changed = wanted.filter((p) => !same(current.get(p.key), p.value));
    if (changed.length) upsertSearchAttributes(changed);
  }

  /** The next promise (a deadline or a periodic update), not the warning before it. */
  private nextDeadline(): number | null {
    return this.m.pending.find((p) => p.type !== 'warning')?.at ?? null;
  }

  private prepare(change: Change) {
    const { m, input } = this;
    m.s.version += 1;
    const v = m.view();
    const nextDeadline = this.nextDeadline();
    setCurrentDetails(this.details());
    const s = m.s;
    const ticket: TicketRecord = {
      ticketId: input.ticketId,
      workflowId: workflowInfo().workflowId,
      customerId: input.customerId,
      ...(input.resellerId ? { resellerId: input.resellerId } : {}),
      policyId: v.policyId,
      policyVersion: v.policyVersion,
      priority: v.priority,
      status: v.status,
      slaState: v.slaState,
      subject: input.subject,
      description: input.description,
      fields: input.fields,
      channel: input.channel,
      ...((m.s.coveredBy ?? input.coveredBy) ? { coveredBy: m.s.coveredBy ?? input.coveredBy } : {}),
      requesterEmail: input.requesterEmail,
      ...(v.assignee ? { assignee: v.assignee } : {}),
      ...(input.parentTicketId ? { parentTicketId: input.parentTicketId } : {}),
      deadlines: v.deadlines,
      openedAt: input.openedAt,
      ...(s.firstRespondedAt !== undefined ? { firstRespondedAt: s.firstRespondedAt } : {}),
      ...(s.resolvedAt !== undefined ? { resolvedAt: s.resolvedAt } : {}),
      ...(s.closedAt !== undefined ? { closedAt: s.closedAt } : {}),
      version: v.version,
      at: Date.now(),
    };
    const clocksNow = this.clockStatuses();
    const clocks = clockChanges(this.clocksRecorded, clocksNow);
    this.clocksRecorded = clocksNow;
    const data = { ...(change.data ?? {}), ...(clocks.length ? { clocks } : {}) };
    const event = { ticketId: input.ticketId, eventKey: change.key, kind: change.kind, at: change.at, data };
    const summary = `record ticket v${v.version}: ${v.status}, SLA ${v.slaState}; ${change.kind} (${change.key})`;
    return { ticket, event, summary, nextDeadline };
  }

  /** A development event this ticket took with a report it could not act on (closed, say): written alone. */
  recordDevEvent(e: c.DevRecord): Promise<void> {
    const summary = `record ${e.ticketId} ${e.kind} (${e.eventKey})`;
    return this.oneAtATime(() =>
      this.guard('record', () =>
        this.local
          ? localActs.commitTicketEvent.executeWithOptions(withLocalSummary(summary), [{ event: e }])
          : acts.recordTicketEvent.executeWithOptions(withSummary(summary), [e]),
      ),
    );
  }

  recordEvent(key: string, kind: string, at: number, data: Record<string, unknown> = {}): Promise<void> {
    const e = { ticketId: this.input.ticketId, eventKey: key, kind, at, data };
    return this.guard('record', () => acts.recordTicketEvent.executeWithOptions(withSummary(`record ${kind} (${key})`), [e]));
  }

  async perform(effects: SideEffect[], key: string, now: number, escalation?: EscalationNote): Promise<void> {
    const { input, m } = this;
    for (const e of effects) {
      if (e.type === 'open_dev_ticket') {
        // 003: "within 4 working days, in case of second level intervention" counts from the customer's
        // opening; development is told that deadline, not 4 working days from the escalation.
        const customerDue = input.secondLevelOwnPromise ? m.deadlines().resolution : undefined;
        await startChild(devTicketWorkflow, {
          workflowId: c.devTicketWorkflowId(input.ticketId),
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: `Development ticket for ${input.ticketId}`,
          args: [
            {
              ticketId: input.ticketId,
              parentWorkflowId: workflowInfo().workflowId,
              customerId: input.customerId,
              summary: input.subject,
              policy: m.s.terms.policy,
              calendars: m.s.calendars,
              priority: m.s.terms.priority,
              devTeamEmail: input.contacts.devTeamEmail,
              openedAt: now,
              report: input.description,
              ...(escalation ? { escalation } : {}),
              ...(input.commits ? { commits: input.commits } : {}),
              recordsThroughParent: true,
              ...(customerDue !== undefined ? { dueAt: customerDue } : {}),
            },
          ],
        });
      } else if (e.type === 'close_dev_ticket') {
        await getExternalWorkflowHandle(c.devTicketWorkflowId(input.ticketId))
          .cancel()
          .catch(() => undefined);
      } else if (e.type === 'refund') {
        await this.recordEvent(`${key}:refund`, 'refund', now, { amountMinor: e.amount.amountMinor, currency: e.amount.currency });
      } else if (e.type === 'open_follow_up_ticket') {
        this.followUp = true;
      }
    }
  }

  /** A due moment: record it and tell whom it concerns. */
  async fire(p: Pending, now: number): Promise<void> {
    const { m, mail } = this;
    m.fire(p, now);
    if (p.type === 'warning' && p.clock) {
      const due = m.deadlines()[p.clock] ?? p.at;
      const warning = mail.warning(p.clock, p.fraction ?? 0, due, p.key, now);
      await this.commit({
        key: p.key,
        kind: 'warning',
        at: p.at,
        data: { clock: p.clock, fraction: p.fraction, dueAt: due, firedAt: now },
        mails: [warning],
      });
    } else if (p.type === 'breach' && p.clock) {
      const clock = p.clock;
      const assignee = m.s.state.assigneeEmail;
      const to = [...(assignee ? [[assignee, 'assignee']] : []), [this.input.contacts.teamLeadEmail, 'lead']] as const;
      const mails = to.map(([addr, role]) => mail.breach(clock, p.at, addr, `${p.key}:${role}`, now));
      // Which of 003's two resolution promises was missed: the SLA report judges each level by its own.
      const level = clock === 'resolution' ? { level: m.s.terms.resolutionLevel } : {};
      await this.commit({ key: p.key, kind: 'breach', at: p.at, data: { clock, ...level, firedAt: now }, mails });
    } else if (p.type === 'periodic_update') {
      const update = mail.periodicUpdate(p.key, now);
      await this.commit({ key: p.key, kind: 'periodic_update', at: p.at, data: { firedAt: now, status: m.status }, mails: [update] });
    } else if (p.type === 'auto_close') {
      const d = m.decide({ type: 'close', by: 'system' }, now);
      if (d.ok) {
        m.apply(d, now);
        const closed = mail.autoClosed(p.key, now);
        await this.commit({ key: p.key, kind: 'close', at: now, data: { by: 'system', status: m.status }, mails: [closed] });
      }
    }
  }
}
