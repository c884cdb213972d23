import {
  advance,
  createSubscription,
  entitlementAt,
  isRunning,
  recordIncident,
  type Channel,
  type Effect,
  type OperationResult,
  type PinnedCatalog,
  type Refusal,
  type SubscriptionState,
} from '../../src/domain/subscription';
import type {
  CarriedSubscription,
  ChargeSummary,
  ClaimRecord,
  ClaimTicketEntitlementArgs,
  EntitlementDecision,
  NewSubscriptionInput,
  OperationOutcome,
  TicketChannel,
} from './contract';
import { subscriptionView } from './view';

/** Claims are kept long enough for any retry of a ticket opening; older ones are never asked again. */
const MAX_REMEMBERED_CLAIMS = 1_000;

export type Operation = (state: SubscriptionState, now: number) => OperationResult;

/** Effects produced together at one workflow instant, executed in order by the workflow. */
export interface EffectBatch {
  at: number;
  effects: Effect[];
}

export function domainChannel(channel: TicketChannel): Channel {
  return channel === 'phone' ? 'phone' : 'email';
}

/**
 * The subscription's state inside the workflow: pure decisions only (the domain does the rules), plus
 * the queue of effects they produced. The workflow drains the queue through activities.
 */
export class SubscriptionMachine {
  /** Bumped whenever the state changes, so the main loop re-reads its next timer. */
  changes = 0;
  private batches: EffectBatch[] = [];
  private dirty = false;

  private constructor(
    public state: SubscriptionState,
    readonly contactEmail: string,
    private claims: ClaimRecord[],
    public version: number,
    readonly run: number,
  ) {}

  static create(input: NewSubscriptionInput, now: number): SubscriptionMachine | Refusal {
    const created = createSubscription(input.request, input.createdAt ?? now, input.catalog ? { pin: input.catalog } : undefined);
    if (!created.ok) return created;
    const machine = new SubscriptionMachine(created.state, input.contactEmail, [], 0, 1);
    machine.commit(created.state, created.effects, input.createdAt ?? now);
    return machine;
  }

  static resume(carried: CarriedSubscription): SubscriptionMachine {
    return new SubscriptionMachine(carried.state, carried.contactEmail, carried.claims, carried.version, carried.run);
  }

  carry(): CarriedSubscription {
    return {
      kind: 'continue',
      state: this.state,
      contactEmail: this.contactEmail,
      claims: this.claims,
      version: this.version,
      run: this.run + 1,
    };
  }

  /** Applies every time-driven transition due by `now` (reminders, expiry, purge). */
  tick(now: number, renewalCatalog?: PinnedCatalog): Effect[] {
    const { state, effects } = advance(this.state, now, renewalCatalog ? { renewalCatalog } : undefined);
    this.commit(state, effects, now);
    return effects;
  }

  /** What `apply` would answer, without changing anything: update validators use it. */
  preview(now: number, op: Operation): OperationResult {
    return op(advance(this.state, now).state, now);
  }

  /**
   * advance() then the operation. Time-driven transitions stay applied even when the operation is
   * refused: a renewal attempted after expiry still records the lapse it discovered.
   */
  apply(now: number, op: Operation): { result: OperationResult; invoices: ChargeSummary[] } {
    this.tick(now);
    const result = op(this.state, now);
    if (!result.ok) return { result, invoices: [] };
    this.commit(result.state, result.effects, now);
    return { result, invoices: result.effects.flatMap(invoiceSummary) };
  }

  outcome(now: number, applied: { result: OperationResult; invoices: ChargeSummary[] }): OperationOutcome {
    return {
      subscription: subscriptionView(this.state, now),
      invoices: applied.invoices,
      duplicate: applied.result.ok && applied.result.duplicate === true,
    };
  }

  /**
   * One decision per ticket: a repeated claim returns the first answer and counts nothing again,
   * so a retried ticket opening never uses up a second incident.
   */
  claim(args: ClaimTicketEntitlementArgs, now: number): EntitlementDecision {
    const known = this.claims.find((c) => c.ticketId === args.ticketId);
    if (known) return known.decision;
    this.tick(Math.max(now, args.at));
    const channel = domainChannel(args.channel);
    const counted = recordIncident(this.state, channel, args.at, { operationId: `claim:${args.ticketId}` });
    let decision: EntitlementDecision;
    if (!counted.ok) {
      decision = {
        covered: false,
        code: counted.code,
        reason: counted.reason,
        subscriptionId: this.state.id,
        ticketId: args.ticketId,
        decidedAt: now,
      };
    } else {
      this.commit(counted.state, counted.effects, now);
      const e = entitlementAt(this.state, args.at, channel);
      decision = e.covered
        ? { ...e, subscriptionId: this.state.id, customerId: this.state.customerId, ticketId: args.ticketId, decidedAt: now }
        : { ...e, subscriptionId: this.state.id, ticketId: args.ticketId, decidedAt: now };
    }
    this.claims = [...this.claims, { ticketId: args.ticketId, decision }].slice(-MAX_REMEMBERED_CLAIMS);
    this.dirty = true;
    return decision;
  }

  /** An automatic renewal falls due at `now`: the workflow fetches the catalog to price it on. */
  renewalDue(now: number): boolean {
    const s = this.state;
    return isRunning(s) && s.autoRenew && !s.cancelAtTermEnd && now >= s.termEnd;
  }

  hasWork(): boolean {
    return this.batches.length > 0 || this.dirty;
  }

  /** Hands the queued effects to the executor and says whether the read model must be rewritten. */
  take(): { batches: EffectBatch[]; persist: boolean } {
    const taken = { batches: this.batches, persist: this.dirty };
    this.batches = [];
    this.dirty = false;
    if (taken.persist) this.version += 1;
    return taken;
  }

  private commit(next: SubscriptionState, effects: Effect[], at: number): void {
    if (effects.length > 0) this.batches.push({ at, effects });
    if (effects.length === 0 && JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    this.changes += 1;
    this.dirty = true;
  }
}

function invoiceSummary(effect: Effect): ChargeSummary[] {
  if (effect.type !== 'invoice') return [];
  return [
    {
      invoiceKey: effect.invoiceKey,
      currency: effect.currency,
      totalMinor: effect.totalMinor,
      lines: effect.lines.map((l) => ({ kind: l.kind, description: l.description, amountMinor: l.amountMinor })),
    },
  ];
}
