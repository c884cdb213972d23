import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, asc, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { charges, entitlements, subscriptionEvents, subscriptions } from '../../src/db/schema';
import type { CreateSubscriptionInput } from '../../src/domain/subscription';
import { temporalEntitlementGateway } from '../../src/subscriptions/entitlement-gateway';
import { CustomerIdKey } from '../../workflows/search-attributes';
import {
  addSeatsUpdate,
  CLAIM_HOLD_MS,
  claimTicketEntitlementUpdate,
  extendWarrantyUpdate,
  reinstateUpdate,
  subscriptionQuery,
  subscriptionWorkflowId,
  upgradeUpdate,
  type ClaimTicketEntitlementArgs,
} from '../../workflows/subscription/contract';
import { subscriptionWorkflow } from '../../workflows/subscription/subscription-workflow';
import { dbCatalogStore } from '../../src/catalog/catalog-store';
import { planCatalog, type PlanDefinition } from '../../src/domain/subscription';
import { startTimeSkippingStack, type SkippingStack } from '../support/time-skipping';

const ZONE = 'Europe/Berlin';
const MINUTE = 60_000;
const DAY = 86_400_000;

let s: SkippingStack;
beforeAll(async () => {
  s = await startTimeSkippingStack();
});
afterAll(async () => {
  await s?.stop();
});

const local = (t: number) => DateTime.fromMillis(t, { zone: ZONE });
const daysBefore = (t: number, days: number) => local(t).minus({ days }).toMillis();
const yearsAfter = (t: number, years: number) => local(t).plus({ years }).toMillis();
const localDays = (a: number, b: number) => Math.round(local(b).startOf('day').diff(local(a).startOf('day'), 'days').days);

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts at the server's current instant, so every later instant is computed from the real start. */
async function startSubscription(request: Omit<CreateSubscriptionInput, 'id' | 'timeZone' | 'startAt'>) {
  const id = `sub-${randomUUID().slice(0, 8)}`;
  const startAt = await s.env.currentTimeMs();
  const handle = await s.env.client.workflow.start(subscriptionWorkflow, {
    workflowId: subscriptionWorkflowId(id),
    taskQueue: s.taskQueue,
    args: [{ kind: 'create', request: { ...request, id, timeZone: ZONE, startAt }, contactEmail: `${id}@customer.test` }],
    typedSearchAttributes: [{ key: CustomerIdKey, value: request.customerId }],
  });
  const view = await handle.query(subscriptionQuery);
  return { id, handle, startAt, termEnd: view.termEnd };
}

const claim = (id: string, args: ClaimTicketEntitlementArgs) =>
  s.env.client.workflow
    .getHandle(subscriptionWorkflowId(id))
    .executeUpdate(claimTicketEntitlementUpdate, { args: [args], updateId: `claim-${args.ticketId}` });

async function refusal(p: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return { type: (cause as ApplicationFailure).type ?? undefined, message: (cause as ApplicationFailure).message };
}

const events = (id: string, kind: string) =>
  s.db.db
    .select()
    .from(subscriptionEvents)
    .where(and(eq(subscriptionEvents.subscriptionId, id), eq(subscriptionEvents.kind, kind)))
    .orderBy(asc(subscriptionEvents.at));

const chargeRows = (id: string) => s.db.db.select().from(charges).where(eq(charges.subscriptionId, id)).orderBy(asc(charges.key));

const rowStatus = async (id: string) =>
  (await s.db.db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id)))[0]?.status;

describe('004 per-user subscription across two years on the time-skipping server', () => {
  it('reminds, caps phone incidents, prorates seats, lapses at the instant, reinstates with backfill and fee, purges', async () => {
    const wallStart = Date.now();
    const { id, handle, startAt, termEnd } = await startSubscription({
      customerId: `c-${randomUUID().slice(0, 6)}`,
      planId: 'per-user-support',
      seats: 10,
      billingCycle: 'annual',
    });
    expect(termEnd).toBe(yearsAfter(startAt, 1));

    // 004: "Addition of new users will be prorated" (annual billing, 10 % discount, local days to the anniversary).
    await s.sleepUntil(startAt + 100 * DAY);
    const seatsAt = await s.env.currentTimeMs();
    const seats = await handle.executeUpdate(addSeatsUpdate, { args: [{ seats: 5 }] });
    const expectedSeats = Math.round((5 * 6_000 * 0.9 * localDays(seatsAt, termEnd)) / localDays(startAt, termEnd));
    expect(seats.invoices[0]?.totalMinor).toBe(expectedSeats);
    expect(seats.subscription.seats).toBe(15);
    const seatRow = (await chargeRows(id)).find((c) => c.kind === 'seat-proration');
    expect(seatRow).toMatchObject({ amountMinor: expectedSeats, quantity: 5, currency: 'USD' });
    expect(seatRow?.periodEnd?.getTime()).toBe(termEnd);

    // 004: "Phone support may be limited to 5 incidents per year": the sixth is refused with the reason.
    const phone = [];
    for (let i = 1; i <= 6; i += 1)
      phone.push(await claim(id, { ticketId: `${id}-P${i}`, channel: 'phone', at: await s.env.currentTimeMs() }));
    expect(phone.slice(0, 5).map((d) => d.covered && d.incidentsRemaining)).toEqual([4, 3, 2, 1, 0]);
    expect(phone[5]).toMatchObject({ covered: false, code: 'incident_cap_reached' });
    expect(phone[5]?.covered === false && phone[5].reason).toMatch(/limited to 5 incidents per subscription year; 5 used since/);
    expect((await claim(id, { ticketId: `${id}-E1`, channel: 'email', at: await s.env.currentTimeMs() })).covered).toBe(true);

    // Reminders at 60, 30 and 7 days before expiry, each at its exact instant.
    for (const days of [60, 30, 7]) await s.sleepUntil(daysBefore(termEnd, days) + MINUTE);
    const reminders = await waitFor(async () => {
      const rows = (await events(id, 'timer')).filter((e) => e.data.timer === 'renewal-reminder');
      return rows.length === 3 ? rows : undefined;
    }, 'three reminder timers');
    expect(reminders.map((e) => e.at.getTime())).toEqual([60, 30, 7].map((d) => daysBefore(termEnd, d)));
    for (const e of reminders) expect((e.data.firedAt as number) - e.at.getTime()).toBeLessThan(1_000);
    expect(reminders[1]?.data.summary).toMatch(/^renewal reminder \(30 days\) due /);

    // 002: covered only if the ticket is opened before the expiration instant.
    await s.sleepUntil(termEnd - 1_000);
    const before = await claim(id, { ticketId: `${id}-before`, channel: 'email', at: termEnd - 1_000 });
    expect(before).toMatchObject({ covered: true, tier: 'standard', termEnd });
    await s.sleepUntil(termEnd + MINUTE);
    const after = await claim(id, { ticketId: `${id}-after`, channel: 'email', at: termEnd + 1_000 });
    expect(after).toMatchObject({ covered: false, code: 'expired' });
    const expiry = await waitFor(async () => (await events(id, 'timer')).find((e) => e.data.timer === 'expiry'), 'expiry timer');
    expect(expiry.at.getTime()).toBe(termEnd);
    expect((expiry.data.firedAt as number) - termEnd).toBeLessThan(1_000);
    expect(await waitFor(async () => ((await rowStatus(id)) === 'lapsed' ? 'lapsed' : undefined), 'lapsed row')).toBe('lapsed');
    expect((await events(id, 'features-off'))[0]?.data.features).toContain('softphone-app');

    // 004: "Renewals backfill to the original date of expiration" plus the reinstatement fee.
    await s.sleepUntil(termEnd + 10 * DAY);
    const asked = await s.env.currentTimeMs();
    const back = await handle.executeUpdate(reinstateUpdate, { args: [{}] });
    expect(back.subscription.termEnd).toBe(yearsAfter(startAt, 2));
    const reinstatement = back.subscription.state.termHistory.at(-1);
    expect(reinstatement).toMatchObject({ kind: 'reinstatement', start: termEnd, yearsBilled: 1 });
    const reinstatedAt = reinstatement?.coveredFrom ?? 0;
    expect(reinstatedAt - asked).toBeLessThan(1_000);
    const rows = await chargeRows(id);
    expect(rows.find((c) => c.kind === 'reinstatement-fee')).toMatchObject({
      amountMinor: 15_000,
      description: 'Support reinstatement fee',
    });
    const backfill = rows.find((c) => c.invoiceKey?.includes(':reinstatement:') && c.kind === 'subscription');
    expect(backfill?.periodStart?.getTime()).toBe(termEnd);
    expect(backfill?.amountMinor).toBe(81_000);
    expect((await claim(id, { ticketId: `${id}-gap`, channel: 'email', at: termEnd + 5 * DAY })).covered === false).toBe(true);
    const periods = await s.db.db
      .select()
      .from(entitlements)
      .where(eq(entitlements.subscriptionId, id))
      .orderBy(asc(entitlements.validFrom));
    expect(periods.map((p) => [p.validFrom.getTime(), p.validTo.getTime()])).toEqual([
      [startAt, termEnd],
      [reinstatedAt, yearsAfter(startAt, 2)],
    ]);

    // Not renewed again: lapses at the second expiry and the backups are purged after 90 days' retention.
    const secondEnd = yearsAfter(startAt, 2);
    const purgeAt = local(secondEnd).plus({ days: 90 }).toMillis();
    await s.sleepUntil(purgeAt + MINUTE);
    expect(await waitFor(async () => ((await rowStatus(id)) === 'purged' ? 'purged' : undefined), 'purged row')).toBe('purged');
    const purged = await waitFor(async () => (await events(id, 'config-backups-purged'))[0], 'purge event');
    expect(purged.at.getTime() - purgeAt).toBeLessThan(1_000);
    await s.mail.waitFor((m) => m.subject.startsWith(`[${id}] Configuration backups deleted`));

    const mine = s.mail.messages.filter((m) => m.subject.startsWith(`[${id}]`));
    for (const days of [60, 30, 7]) {
      expect(mine.filter((m) => m.subject.includes(`expires in ${days} days`)).length, `${days}-day reminders`).toBe(2);
    }
    expect(new Set(mine.map((m) => m.messageId)).size).toBe(mine.length);
    expect(mine.every((m) => m.to.includes(`${id}@customer.test`))).toBe(true);
    console.log(`[subscription] two simulated years in ${Date.now() - wallStart} ms of wall time`);
  });
});

describe('002 assurance contract with hardware', () => {
  it('prorates an upgrade, extends the warranty within its year and refuses it after expiry', async () => {
    const purchasedAt = await s.env.currentTimeMs();
    const { id, handle, startAt, termEnd } = await startSubscription({
      customerId: `c-${randomUUID().slice(0, 6)}`,
      planId: 'assurance-premium',
      hardware: { productId: 'ucx250', purchasedAt },
    });
    await s.sleepUntil(startAt + 120 * DAY);
    const up = await handle.executeUpdate(upgradeUpdate, { args: [{ tier: 'premium-plus' }] });
    const upgradedAt = up.subscription.state.tierHistory.at(-1)?.effectiveFrom ?? 0;
    const expected = Math.round(((129_900 - 89_900) * localDays(upgradedAt, termEnd)) / localDays(startAt, termEnd));
    expect(up.invoices[0]?.totalMinor).toBe(expected);
    expect((await chargeRows(id)).find((c) => c.kind === 'upgrade-proration')?.amountMinor).toBe(expected);
    const ticket = await claim(id, { ticketId: `${id}-T1`, channel: 'web', at: upgradedAt });
    expect(ticket).toMatchObject({ covered: true, tier: 'premium-plus', calendarId: 'always-open', responseTargetMs: 2 * 3_600_000 });

    const extended = await handle.executeUpdate(extendWarrantyUpdate, { args: [{}] });
    expect(extended.subscription.warrantyEnd).toBe(yearsAfter(purchasedAt, 2));
    expect((await chargeRows(id)).find((c) => c.kind === 'warranty-extension')?.amountMinor).toBe(14_900);

    await s.sleepUntil(yearsAfter(purchasedAt, 2) + DAY);
    const refused = await refusal(handle.executeUpdate(extendWarrantyUpdate, { args: [{}] }));
    expect(refused.type).toBe('warranty_expired');
    expect(refused.message).toMatch(
      /^the hardware warranty expired on \d{4}-\d{2}-\d{2}; an extension must be bought while the warranty is active$/,
    );
  });
});

describe('claimTicketEntitlement idempotency', () => {
  it('answers a repeated claim with the first decision and counts one incident', async () => {
    const customerId = `c-${randomUUID().slice(0, 6)}`;
    const { id, handle } = await startSubscription({ customerId, planId: 'per-user-support', seats: 3, billingCycle: 'annual' });
    await waitFor(async () => rowStatus(id), 'subscription row');
    const gateway = temporalEntitlementGateway({ client: s.env.client, db: s.db.db, taskQueue: s.taskQueue });
    const at = await s.env.currentTimeMs();
    const first = await gateway.claim({ customerId, ticketId: `${id}-T1`, channel: 'phone', at });
    const second = await gateway.claim({ customerId, ticketId: `${id}-T1`, channel: 'phone', at: at + 5 });
    expect(first).toMatchObject({ covered: true, subscriptionId: id, incidentsRemaining: 4 });
    expect(second).toEqual(first);
    // A new update id for the same ticket (e.g. another API node) still gets the remembered decision.
    const third = await handle.executeUpdate(claimTicketEntitlementUpdate, { args: [{ ticketId: `${id}-T1`, channel: 'phone', at }] });
    expect(third).toEqual(first);
    const view = await handle.query(subscriptionQuery);
    expect(view.state.incidents).toEqual([expect.objectContaining({ channel: 'phone', count: 1 })]);
    expect(await gateway.claim({ customerId: 'nobody', ticketId: 'T-x', channel: 'email', at })).toMatchObject({
      covered: false,
      code: 'no_subscription',
    });
    // No ticket workflow was ever started for T1 (as when the API process dies between claim and start):
    // once the hold is over, the subscription finds that out and gives the incident back.
    await s.sleepUntil(at + CLAIM_HOLD_MS + MINUTE);
    await waitFor(
      async () => ((await handle.query(subscriptionQuery)).state.incidents.length === 0 ? true : undefined),
      'incident given back',
    );
  });
});

describe('ten simulated years of automatic renewal', () => {
  it('renews every year, charges each renewal once and keeps every run small', async () => {
    const wallStart = Date.now();
    const { id, startAt } = await startSubscription({
      customerId: `c-${randomUUID().slice(0, 6)}`,
      planId: 'assurance-standard',
      includedWithPurchase: true,
      autoRenew: true,
    });
    await s.sleepUntil(yearsAfter(startAt, 10) + DAY);
    const handle = s.env.client.workflow.getHandle(subscriptionWorkflowId(id));
    const view = await waitFor(async () => {
      const v = await handle.query(subscriptionQuery);
      return v.state.termHistory.length === 11 ? v : undefined;
    }, 'eleven terms');
    expect(view.termEnd).toBe(yearsAfter(startAt, 11));
    expect(view.status).toBe('active');
    const renewals = (await chargeRows(id)).filter((c) => c.invoiceKey?.includes(':renewal:'));
    expect(renewals.map((c) => c.periodStart?.getTime())).toEqual(Array.from({ length: 10 }, (_, k) => yearsAfter(startAt, k + 1)));
    const reminderMails = s.mail.messages.filter((m) => m.subject.startsWith(`[${id}]`) && m.subject.includes('expires in'));
    expect(reminderMails.length).toBe(30);

    const sizes: number[] = [];
    let runId: string | undefined = (await handle.describe()).runId;
    while (runId) {
      const history = await s.env.client.workflow.getHandle(subscriptionWorkflowId(id), runId).fetchHistory();
      sizes.unshift(history.events?.length ?? 0);
      // Every finished run must replay on today's code: the workflow is deterministic.
      if (sizes.length > 1) await Worker.runReplayHistory({ workflowBundle: { code: inject('workflowCode') } }, history);
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    console.log(
      `[subscription] 10 years: ${sizes.length} runs, history events per run ${sizes.join(', ')}; max ${Math.max(...sizes)}; ${Date.now() - wallStart} ms wall`,
    );
    expect(sizes.length).toBe(11);
    for (const n of sizes) expect(n).toBeLessThan(2_000);
  });
});

describe('renewals and reinstatements are priced on the catalog current then (issue 14)', () => {
  const store = () => dbCatalogStore(s.db.db, { ttlMs: 0 });
  const planId = `ts-cat-${randomUUID().slice(0, 6)}`;
  const plan = (annualPriceMinor: number): PlanDefinition => ({
    ...planCatalog['assurance-standard']!,
    id: planId,
    family: planId,
    name: `Timeskip plan ${planId}`,
    pricing: { kind: 'flat', annualPriceMinor },
    includedWithPurchasePlanId: undefined,
  });
  const publish = async (price: number) => {
    const v = await store().publish((c) => ({ ...c, plans: { ...c.plans, [planId]: plan(price) } }), 'test', `price ${price}`);
    if (v === 'conflict') throw new Error('catalog publish conflict');
    return v.version;
  };
  /** Sold on the version that prices the plan at USD 100.00. */
  const sellAt10k = async (autoRenew: boolean) => {
    const sold = await publish(10_000);
    const id = `sub-${randomUUID().slice(0, 8)}`;
    const startAt = await s.env.currentTimeMs();
    const handle = await s.env.client.workflow.start(subscriptionWorkflow, {
      workflowId: subscriptionWorkflowId(id),
      taskQueue: s.taskQueue,
      args: [
        {
          kind: 'create',
          request: { customerId: `c-${id}`, planId, id, timeZone: ZONE, startAt, autoRenew },
          contactEmail: `${id}@customer.test`,
          catalog: { version: sold, plans: { [planId]: plan(10_000) } },
        },
      ],
    });
    return { id, startAt, handle };
  };

  it('an automatic renewal takes the new price and version; the running term kept the old one', async () => {
    const { id, startAt, handle } = await sellAt10k(true);
    const repriced = await publish(15_000);
    await s.sleepUntil(yearsAfter(startAt, 1) + DAY);
    const view = await waitFor(async () => {
      const v = await handle.query(subscriptionQuery);
      return v.state.termHistory.length === 2 ? v : undefined;
    }, 'the renewal');
    // Other test files publish to the same catalog meanwhile; each keeps this plan at its new price.
    expect(view.state.pinned?.version).toBeGreaterThanOrEqual(repriced);
    expect(view.state.pinned?.plans[planId]).toMatchObject({ pricing: { annualPriceMinor: 15_000 } });
    const amounts = (await chargeRows(id)).map((c) => [c.invoiceKey?.includes(':renewal:') ? 'renewal' : 'initial', c.amountMinor]);
    expect(amounts).toEqual([
      ['initial', 10_000],
      ['renewal', 15_000],
    ]);
  });

  it('a reinstatement backfills at the price the API brings, and pins that version', async () => {
    const { id, startAt, handle } = await sellAt10k(false);
    await s.sleepUntil(yearsAfter(startAt, 1) + 30 * DAY);
    await waitFor(async () => ((await handle.query(subscriptionQuery)).status === 'lapsed' ? true : undefined), 'the lapse');
    const now = await publish(20_000);
    const outcome = await handle.executeUpdate(reinstateUpdate, {
      args: [{ catalog: { version: now, plans: { [planId]: plan(20_000) } } }],
      updateId: `reinstate-${id}`,
    });
    expect(outcome.subscription.state.pinned?.version).toBe(now);
    const backfill = outcome.invoices[0]?.lines.find((l) => l.kind === 'subscription');
    expect(backfill?.amountMinor).toBe(20_000);
    // 002's 20 % surcharge on the backfilled renewal, from the same catalog.
    expect(outcome.invoices[0]?.lines.find((l) => l.kind === 'reinstatement-surcharge')?.amountMinor).toBe(4_000);
  });
});
