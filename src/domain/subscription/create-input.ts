import { isValidZone } from './zoned-time.js';

/**
 * Checked by hand rather than with zod: the subscription workflow runs this check in the sandbox, which
 * evaluates every imported module once per workflow, and zod's schema machinery costs more than this.
 */
export interface CreateSubscriptionInput {
  id: string;
  customerId: string;
  planId: string;
  /** The customer's zone: anniversaries, proration days and reminder times are local to it. */
  timeZone: string;
  seats?: number;
  billingCycle?: 'monthly' | 'annual';
  /** 004: service begins at the invoice date or payment, whichever is earliest; defaults to now. */
  startAt?: number;
  /** 002: the first year of Standard comes with every system purchase. */
  includedWithPurchase?: boolean;
  autoRenew?: boolean;
  reminderOffsetsDays?: number[];
  /** `systemId`: the customer's installed system the hardware warranty covers (002). */
  hardware?: { productId: string; purchasedAt: number; systemId?: string };
}

const KEYS = new Set([
  'id',
  'customerId',
  'planId',
  'timeZone',
  'seats',
  'billingCycle',
  'startAt',
  'includedWithPurchase',
  'autoRenew',
  'reminderOffsetsDays',
  'hardware',
]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

/** "path: problem" for every problem with a create request; empty when it is well-formed. */
export function createInputProblems(raw: unknown): string[] {
  if (!isRecord(raw)) return ['input: expected an object'];
  const out: string[] = [];
  const check = (ok: boolean, path: string, problem: string) => {
    if (!ok) out.push(`${path}: ${problem}`);
  };
  for (const key of ['id', 'customerId', 'planId'] as const) check(isText(raw[key]), key, 'expected a non-empty string');
  check(typeof raw.timeZone === 'string' && isValidZone(raw.timeZone), 'timeZone', 'must be an IANA time zone such as Europe/Berlin');
  const optional = (key: string, ok: (v: unknown) => boolean, problem: string) =>
    check(raw[key] === undefined || ok(raw[key]), key, problem);
  optional('seats', (v) => isInt(v) && v > 0, 'expected a positive integer');
  optional('billingCycle', (v) => v === 'monthly' || v === 'annual', "expected 'monthly' or 'annual'");
  optional('startAt', isInt, 'expected epoch milliseconds');
  optional('includedWithPurchase', (v) => typeof v === 'boolean', 'expected a boolean');
  optional('autoRenew', (v) => typeof v === 'boolean', 'expected a boolean');
  optional('reminderOffsetsDays', (v) => Array.isArray(v) && v.every((d) => isInt(d) && d > 0), 'expected positive whole days');
  optional(
    'hardware',
    (v) => isRecord(v) && isText(v.productId) && isInt(v.purchasedAt) && (v.systemId === undefined || isText(v.systemId)),
    'expected { productId, purchasedAt, systemId? }',
  );
  for (const key of Object.keys(raw)) if (!KEYS.has(key)) out.push(`${key}: unknown field`);
  return out;
}
