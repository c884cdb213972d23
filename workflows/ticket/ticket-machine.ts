import type { CalendarInput, CalendarSpec } from '../../src/domain/calendar/core';
import {
  applyClockEffects,
  callbackPending,
  decide,
  deadlineOf,
  evolve,
  isPaused,
  isStopped,
  openingClocks,
  startClock,
  stop as stopClock,
  targetFor,
  warningInstants,
  CLOCK_KINDS,
  type ClockKind,
  type ClockSet,
  type ClockTerms,
  type Decision,
  type OpeningOptions,
  type SideEffect,
  type SupportPolicy,
  type TicketAction,
  type TicketState,
} from '../../src/domain/ticket/core';
import { sandboxCalendar } from './calendars';
import { SlaState, type MachineSnapshot, type OpenTicketInput, type TicketPurchase, type TicketView } from './contract';

/** A moment the workflow must wake for. Computed when something changes, then kept. */
export interface Pending {
  at: number;
  type: 'warning' | 'breach' | 'periodic_update' | 'auto_close' | 'reopen_window_end';
  clock?: ClockKind;
  fraction?: number;
  /** Stable per occurrence, so a fired item is never fired twice and its records are idempotent. */
  key: string;
}

/**
 * The sale the ticket opened with, where decide() reads it (a downgrade's refund, 000). It never changes, so
 * it is taken from the input every run: a snapshot carried from a run before the state held it gets it too.
 */
function withSale(s: MachineSnapshot, purchase: TicketPurchase | undefined): MachineSnapshot {
  if (!purchase) return s;
  const charged = { amountMinor: purchase.amountMinor, currency: purchase.currency };
  return { ...s, state: { ...s.state, sale: { charged, refundOnDowngrade: purchase.refundOnDowngrade } } };
}

/** Rules a running ticket takes up only where its history allows: the workflow asks patched(), a machine outside one takes them. */
export interface MachineRules {
  /** Asked once, when the ticket moves to second-level resolution: key that level's deadlines apart (levelKey). */
  resolutionKeysByLevel?: () => boolean;
}

/**
 * The ticket's whole state and its rules, without Temporal: the workflow feeds it actions and the clock,
 * and performs what it returns. Deadlines are computed on change and kept in `pending`.
 */
export class TicketMachine {
  s: MachineSnapshot;
  pending: Pending[] = [];

  /** `opening` only matters to a new ticket; a resumed one carries its clocks. */
  constructor(
    private readonly input: OpenTicketInput,
    opening: OpeningOptions = {},
    private readonly rules: MachineRules = {},
  ) {
    this.s = withSale(input.resume ?? TicketMachine.initial(input, opening), input.purchase);
    this.reschedule();
  }

  static initial(input: OpenTicketInput, opening: OpeningOptions = {}): MachineSnapshot {
    const terms: ClockTerms = { policy: input.policy, priority: input.priority, resolutionLevel: 'first' };
    const clocks = openingClocks(terms, input.openedAt, opening, sandboxCalendar(input.calendars, input.policy));
    const state: TicketState = {
      status: 'new',
      policy: input.policy,
      priority: input.priority,
      resolutionLevel: 'first',
      devTicketOpen: false,
      ...(input.policy.emergency ? { emergency: 'active' as const } : {}),
      ...(input.product ? { product: input.product } : {}),
      ...(input.assignee ? { assignee: input.assignee.name, assigneeEmail: input.assignee.email } : {}),
      ...(callbackPending(clocks) ? { callbackPending: true } : {}),
    };
    return {
      state,
      clocks,
      terms,
      fired: [],
      slaState: SlaState.Ok,
      breaches: [],
      policies: { ...input.policies, [input.policy.id]: input.policy },
      calendars: { ...(input.calendars ?? {}) },
      version: 0,
    };
  }

  calendarOf = (policy: SupportPolicy): CalendarInput => sandboxCalendar(this.s.calendars, policy);

  resolvePolicy = (id: string): SupportPolicy => {
    const p = this.s.policies[id];
    if (!p) throw new Error(`policy ${id} is not pinned on this ticket`);
    return p;
  };

  get status() {
    return this.s.state.status;
  }

  decide(action: TicketAction, now: number): Decision {
    return decide(this.s.state, action, now);
  }

  /** Applies an accepted decision; returns its side effects for the workflow to perform. */
  apply(decision: Decision, now: number): SideEffect[] {
    if (!decision.ok) return [];
    const before = this.s.state.status;
    const levelBefore = this.s.state.resolutionLevel;
    const state = evolve(this.s.state, decision, { now, resolvePolicy: this.resolvePolicy, calendarOf: this.calendarOf });
    const { clocks, terms } = applyClockEffects(this.s.clocks, decision.clockEffects, {
      now,
      terms: this.s.terms,
      resolvePolicy: this.resolvePolicy,
      calendarOf: this.calendarOf,
    });
    // The first reply, in whatever status it came (a ticket may be escalated before anyone answered).
    const before1st = this.s.clocks.first_response;
    const firstResponseRan = before1st !== undefined && !isStopped(before1st);
    this.s = { ...this.s, state, clocks, terms };
    if (this.s.firstRespondedAt === undefined && firstResponseRan && clocks.first_response?.stoppedAt !== undefined) {
      this.s.firstRespondedAt = now;
    }
    if (levelBefore === 'first' && state.resolutionLevel === 'second' && this.s.resolutionKeysByLevel === undefined) {
      this.s.resolutionKeysByLevel = this.rules.resolutionKeysByLevel?.() ?? true;
    }
    if (state.status === 'resolved' && before !== 'resolved') this.s.resolvedAt = now;
    if (state.status === 'closed' && before !== 'closed') this.s.closedAt = now;
    // A reopened ticket is unresolved again: its earlier resolution stays in the journal, not on the ticket.
    if (state.status !== 'resolved' && state.status !== 'closed') {
      delete this.s.resolvedAt;
      delete this.s.closedAt;
    }
    this.reschedule();
    return decision.ok ? decision.sideEffects : [];
  }

  /** An admin changed the policy or its calendar: every running clock is retargeted, used time stays used. */
  changePolicy(policy: SupportPolicy, calendars: Record<string, CalendarSpec>, now: number): void {
    this.s.policies = { ...this.s.policies, [policy.id]: policy };
    const oldTerms = this.s.terms;
    this.s.calendars = { ...this.s.calendars, ...calendars };
    const { clocks, terms } = applyClockEffects(
      this.s.clocks,
      [{ type: 'retarget', policyId: policy.id, priority: oldTerms.priority, resolutionLevel: oldTerms.resolutionLevel }],
      {
        now,
        terms: { ...oldTerms, policy: oldTerms.policy.id === policy.id ? policy : oldTerms.policy },
        resolvePolicy: this.resolvePolicy,
        calendarOf: this.calendarOf,
      },
    );
    // A new version without a call back promise stopped the callback clock: no call is owed any more.
    const { callbackPending: _was, ...state } = this.s.state;
    this.s = { ...this.s, clocks, terms, state: { ...state, policy, ...(callbackPending(clocks) ? { callbackPending: true } : {}) } };
    this.reschedule();
  }

  /**
   * The customer now buys another policy for this ticket: its clocks move onto that policy's targets
   * (the same recompute as a policy change, used time kept). A priority the new policy does not know
   * becomes its default one.
   */
  changeContract(
    policy: SupportPolicy,
    policies: Record<string, SupportPolicy>,
    calendars: Record<string, CalendarSpec>,
    now: number,
  ): void {
    const priority = policy.priorities[this.s.terms.priority] ? this.s.terms.priority : policy.defaultPriority;
    this.s.policies = { ...this.s.policies, ...policies };
    this.s.terms = { ...this.s.terms, policy, priority };
    this.s.state = { ...this.s.state, priority };
    this.changePolicy(policy, calendars, now);
  }

  /** Items due at `now`, earliest first. */
  due(now: number): Pending[] {
    return this.pending.filter((p) => p.at <= now);
  }

  next(): Pending | undefined {
    return this.pending[0];
  }

  /** Marks a due item handled and applies what firing it means to the clocks and SLA state. */
  fire(item: Pending, now: number): void {
    this.s.fired = [...this.s.fired, item.key];
    if (item.type === 'warning' && this.s.slaState === SlaState.Ok) this.s.slaState = SlaState.Warning;
    if (item.type === 'breach' && item.clock) {
      this.s.slaState = SlaState.Breached;
      this.s.breaches = [...this.s.breaches, { clock: item.clock, at: item.at }];
    }
    if (item.type === 'periodic_update') {
      // The promise is a rhythm: the next update is owed one interval after this one went out.
      const target = targetFor(this.s.terms, 'periodic_update');
      if (target) this.s.clocks = { ...this.s.clocks, periodic_update: startClock('periodic_update', target, now) };
    }
    this.reschedule();
  }

  /**
   * 003 promises resolution "within 1 working day, in case of first level intervention, and within 4 working
   * days, in case of second level": two promises on one clock. Keyed apart, the second-level warnings and
   * breach are not taken for the first level's, already fired (which left an escalated ticket with no
   * second-level breach at all).
   */
  private levelKey(): string {
    return this.s.resolutionKeysByLevel && this.s.terms.resolutionLevel === 'second' ? ':second' : '';
  }

  /** Recomputes every pending instant from the clocks; only called when something changed. */
  reschedule(): void {
    const out: Pending[] = [];
    const cal = this.calendarOf(this.s.terms.policy);
    const fired = new Set(this.s.fired);
    const warn = this.s.terms.policy.warnings;
    for (const kind of CLOCK_KINDS) {
      const clock = this.s.clocks[kind];
      if (!clock || isStopped(clock) || isPaused(clock)) continue;
      const dueAt = deadlineOf(clock, cal);
      if (dueAt === undefined || !Number.isFinite(dueAt)) continue;
      const id = `${kind}:${clock.startedAt}${kind === 'resolution' ? this.levelKey() : ''}`;
      if (kind === 'periodic_update') {
        out.push({ at: dueAt, type: 'periodic_update', clock: kind, key: `periodic:${id}` });
        continue;
      }
      for (const w of warningInstants(clock, cal, warn.fractions, warn.basis)) {
        out.push({ at: w.at, type: 'warning', clock: kind, fraction: w.fraction, key: `warning:${id}:${w.fraction}` });
      }
      out.push({ at: dueAt, type: 'breach', clock: kind, key: `breach:${id}` });
    }
    const st = this.s.state;
    if (st.status === 'resolved' && st.autoCloseAt !== undefined)
      out.push({ at: st.autoCloseAt, type: 'auto_close', key: `auto_close:${st.autoCloseAt}` });
    if (st.status === 'closed' && st.reopenUntil !== undefined && !this.input.endsAtClose)
      out.push({ at: st.reopenUntil, type: 'reopen_window_end', key: `reopen_end:${st.reopenUntil}` });
    this.pending = out.filter((p) => !fired.has(p.key)).sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
  }

  /** An operator cancelled the workflow: every clock stops, nothing is pending; what was is kept for a restart. */
  cancel(now: number): void {
    const { state, clocks } = this.s;
    const stopped = Object.fromEntries(
      Object.entries(clocks).map(([k, clock]) => [k, clock && !isStopped(clock) ? stopClock(clock, now) : clock]),
    ) as ClockSet;
    this.s = { ...this.s, cancelled: { at: now, state, clocks }, state: { ...state, status: 'cancelled' }, clocks: stopped };
    this.reschedule();
  }

  /** A restart of a cancelled run picks up where the ticket stood; deadlines that passed meanwhile fire at once. */
  static restored(snapshot: MachineSnapshot): MachineSnapshot {
    if (!snapshot.cancelled) return snapshot;
    const { cancelled, ...rest } = snapshot;
    return { ...rest, state: cancelled.state, clocks: cancelled.clocks };
  }

  /** Closed, and the window in which it could be reopened has passed (or a reopen starts a new run): the workflow may end. */
  finished(now: number): boolean {
    const st = this.s.state;
    if (st.status !== 'closed') return false;
    return this.input.endsAtClose === true || st.reopenUntil === undefined || now > st.reopenUntil;
  }

  deadlines(): Partial<Record<ClockKind, number>> {
    const cal = this.calendarOf(this.s.terms.policy);
    const out: Partial<Record<ClockKind, number>> = {};
    for (const kind of CLOCK_KINDS) {
      const clock = this.s.clocks[kind];
      if (!clock || isStopped(clock) || isPaused(clock)) continue;
      const at = deadlineOf(clock, cal);
      if (at !== undefined && Number.isFinite(at)) out[kind] = at;
    }
    return out;
  }

  view(): TicketView {
    const st = this.s.state;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      ticketId: this.input.ticketId,
      customerId: this.input.customerId,
      status: st.status,
      slaState: this.s.slaState,
      priority: st.priority,
      policyId: st.policy.id,
      policyVersion: st.policy.version,
      resolutionLevel: st.resolutionLevel,
      ...(st.emergency ? { emergency: st.emergency } : {}),
      ...(st.assignee ? { assignee: st.assignee } : {}),
      devTicketOpen: st.devTicketOpen,
      openedAt: iso(this.input.openedAt),
      deadlines: Object.fromEntries(Object.entries(this.deadlines()).map(([k, v]) => [k, iso(v)])),
      breaches: this.s.breaches.map((b) => ({ clock: b.clock, at: iso(b.at) })),
      ...(st.autoCloseAt !== undefined ? { autoCloseAt: iso(st.autoCloseAt) } : {}),
      ...(st.reopenUntil !== undefined ? { reopenUntil: iso(st.reopenUntil) } : {}),
      ...(this.s.firstRespondedAt !== undefined ? { firstRespondedAt: iso(this.s.firstRespondedAt) } : {}),
      ...(this.s.resolvedAt !== undefined ? { resolvedAt: iso(this.s.resolvedAt) } : {}),
      ...(this.s.closedAt !== undefined ? { closedAt: iso(this.s.closedAt) } : {}),
      version: this.s.version,
    };
  }
}
