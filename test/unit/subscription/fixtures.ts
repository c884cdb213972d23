import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { createSubscription } from '../../../src/domain/subscription/index.js';
import type {
  CreateSubscriptionInput,
  Effect,
  OperationResult,
  Success,
  SubscriptionState,
} from '../../../src/domain/subscription/index.js';

export const ZONE = 'Europe/Berlin';

/** Instant of a local wall-clock time in the test zone, e.g. t('2026-03-01T09:00'). */
export function t(local: string, zone = ZONE): number {
  const d = DateTime.fromISO(local, { zone });
  if (!d.isValid) throw new Error(`bad test instant ${local}`);
  return d.toMillis();
}

export function iso(ms: number, zone = ZONE): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

export function ok(result: OperationResult): Success {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.reason}`);
  return result;
}

export function refused(result: OperationResult, code: string): string {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.code).toBe(code);
  return result.reason;
}

export function invoiceOf(effects: Effect[]): Extract<Effect, { type: 'invoice' }> {
  const invoice = effects.find((e) => e.type === 'invoice');
  if (!invoice || invoice.type !== 'invoice') throw new Error('no invoice effect');
  return invoice;
}

export function emailsOf(effects: Effect[]): Array<Extract<Effect, { type: 'email' }>> {
  return effects.filter((e): e is Extract<Effect, { type: 'email' }> => e.type === 'email');
}

export function create(overrides: Partial<CreateSubscriptionInput> = {}, now = t('2026-03-01T09:00')): Success {
  return ok(
    createSubscription(
      {
        id: 'sub-1',
        customerId: 'cust-1',
        planId: 'assurance-standard',
        timeZone: ZONE,
        startAt: t('2026-03-01T09:00'),
        ...overrides,
      },
      now,
    ),
  );
}

/** 004's per-user plan with 10 users starting 1 March 2026 09:00 Berlin. */
export function perUser(overrides: Partial<CreateSubscriptionInput> = {}): SubscriptionState {
  return create({ planId: 'per-user-support', seats: 10, billingCycle: 'annual', ...overrides }).state;
}

export function standard(overrides: Partial<CreateSubscriptionInput> = {}): SubscriptionState {
  return create({ includedWithPurchase: true, ...overrides }).state;
}
