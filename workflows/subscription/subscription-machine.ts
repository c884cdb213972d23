import {
  advance,
  createSubscription,
  entitlementAt,
  isRunning,
  recordIncident,
  releaseIncident,
  type Channel,
  type Effect,
  type OperationResult,
  type PinnedCatalog,
  type Refusal,
  type SubscriptionState,
} from '../../src/domain/subscription';
import {
  CLAIM_HOLD_MS,
  type CarriedSubscription,
  type ChargeSummary,
  type ClaimRecord,
  type ClaimTicketEntitlementArgs,
  type EntitlementDecision,
  type HeldIncident,
  type NewSubscriptionInput,
  type OperationOutcome,
  type ReleaseTicketEntitlementArgs,
  type TicketChannel,
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

/** The claim's operation id in the domain: a counted incident is remembered by it. */
const claimOperationId = (ticketId: string) => `claim:${ticketId}`;

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
   * so a retried ticket opening never uses up a second incident. With `hold`, the incident counted is
   * held until the ticket is seen to exist (`release`, `settleHeldClaims`); a repeated claim is the
   * latest attempt to start it, so the hold starts over from it.
   */
  claim(args: ClaimTicketEntitlementArgs, now: number, hold = false): EntitlementDecision {
    const known = this.claims.find((c) => c.ticketId === args.ticketId);
    if (known) {
      if (known.held) known.held = { ...known.held, attemptAt: args.at, claimedAt: now };
      return known.decision;
    }
    this.tick(Math.max(now, args.at));
    const channel = domainChannel(args.channel);
    const counted = recordIncident(this.state, channel, args.at, { operationId: claimOperationId(args.ticketId) });
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
    const held = hold && decision.covered ? { channel: args.channel, at: args.at, attemptAt: args.at, claimedAt: now } : undefined;
    this.claims = [...this.claims, { ticketId: args.ticketId, decision, ...(held ? { held } : {}) }].slice(-MAX_REMEMBERED_CLAIMS);
    this.dirty = true;
    if (held) this.changes += 1;
    return decision;
  }

  /**
   * The API's compensation when the ticket's start failed: gives the held incident back, unless a later
   * attempt (another `at`) has claimed it since, or it is no longer held (its ticket was seen to exist).
   */
  release(args: ReleaseTicketEntitlementArgs, now: number): boolean {
    const known = this.claims.find((c) => c.ticketId === args.ticketId);
    if (!known?.held || known.held.attemptAt !== args.at) return false;
    this.giveBack(known, known.held, now);
    return true;
  }

  /** When the oldest held incident is due for its ticket's existence check; undefined when none is held. */
  nextClaimCheck(): number | undefined {
    const due = this.claims.flatMap((c) => (c.held ? [c.held.claimedAt + CLAIM_HOLD_MS] : []));
    return due.length ? Math.min(...due) : undefined;
  }

  /** The held claims whose check is due, each with the attempt it was checked for. */
  heldClaimsDue(now: number): Array<{ ticketId: string; claimedAt: number }> {
    return this.claims.flatMap((c) =>
      c.held && c.held.claimedAt + CLAIM_HOLD_MS <= now ? [{ ticketId: c.ticketId, claimedAt: c.held.claimedAt }] : [],
    );
  }

  /**
   * Keeps the incidents of the checked tickets that exist and gives back the others' (a start that failed
   * where the API could not compensate: Temporal down, or the process died between claim and start). A
   * claim attempted again while the check ran is left held for the next check.
   */
  settleHeldClaims(checked: Array<{ ticketId: string; claimedAt: number }>, started: ReadonlySet<string>, now: number): void {
    for (const { ticketId, claimedAt } of checked) {
      const known = this.claims.find((c) => c.ticketId === ticketId);
      if (!known?.held || known.held.claimedAt !== claimedAt) continue;
      if (!started.has(ticketId)) {
        this.giveBack(known, known.held, now);
        continue;
      }
      delete known.held;
      this.changes += 1;
    }
  }

  private giveBack(known: ClaimRecord, held: HeldIncident, now: number): void {
    this.claims = this.claims.filter((c) => c !== known);
    this.commit(releaseIncident(this.state, domainChannel(held.channel), held.at, claimOperationId(known.ticketId)), [], now);
    this.dirty = true;
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
