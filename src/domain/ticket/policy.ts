import { z } from 'zod';
import { PRIORITIES, priorityRank, type Money, type Priority, type ProductVersion, type ResolutionLevel, type Target } from './types';

/**
 * A support policy is data, not code: the API stores it, a ticket pins `id@version` when it opens, and
 * the workflow only ever reads the pinned copy, so editing a policy never moves a running ticket's deadlines.
 */

const targetSchema = z.object({
  ms: z.number().int().nonnegative(),
  clock: z.enum(['business', 'wall']),
});

const priorityTargetsSchema = z.object({
  firstResponse: targetSchema,
  nextReply: targetSchema,
  periodicUpdate: targetSchema.optional(),
  /** Omitted where the vendor explicitly promises no resolution time (000, 002). */
  resolution: z.object({ firstLevel: targetSchema, secondLevel: targetSchema }).optional(),
});

const requiredFieldSchema = z.object({
  key: z.string().min(1),
  label: z.string().min(1),
  minLength: z.number().int().positive().optional(),
  /** Regular expression source (JSON has no RegExp); the value must contain a match. */
  pattern: z.string().optional(),
  patternHint: z.string().optional(),
  oneOf: z.array(z.string()).optional(),
});

const legacyVersionSchema = z.object({ product: z.string().min(1), maxMajor: z.number().int().nonnegative() });

const priorityRaiserSchema = z.object({
  /** Matched case-insensitively, any dash (– — -) and spacing around it treated alike. */
  phrase: z.string().min(1),
  priority: z.enum(PRIORITIES),
});

const emergencySchema = z.object({
  /** Once the critical issue is addressed the ticket continues on this (business-hours) policy. */
  fallbackPolicyId: z.string().min(1),
  fallbackPriority: z.enum(PRIORITIES),
  /** Priority the ticket gets when staff judge the request not an emergency. */
  downgradePriority: z.enum(PRIORITIES),
  refund: z.object({ amountMinor: z.number().int().nonnegative(), currency: z.string().length(3) }),
});

export const supportPolicySchema = z
  .object({
    id: z.string().min(1),
    version: z.number().int().positive(),
    name: z.string().min(1),
    calendarId: z.string().min(1),
    /** Zone for customer-facing text ("due Mon 23 Nov 2026 11:30 Europe/Berlin"). */
    zone: z.string().min(1),
    defaultPriority: z.enum(PRIORITIES),
    priorities: z.partialRecord(z.enum(PRIORITIES), priorityTargetsSchema),
    warnings: z.object({
      fractions: z.array(z.number().gt(0).lt(1)),
      basis: z.enum(['business', 'wall']),
    }),
    autoCloseAfter: targetSchema,
    reopenWindow: targetSchema,
    requiredFields: z.array(requiredFieldSchema),
    legacyVersions: z.array(legacyVersionSchema),
    priorityRaisers: z.array(priorityRaiserSchema),
    /** Premium phone support: promised call-back after a voicemail (003). */
    phoneCallback: targetSchema.optional(),
    emergency: emergencySchema.optional(),
    /** Why the numbers are what they are where the vendor's text left them open. */
    assumptions: z.array(z.string()),
  })
  .refine((p) => p.priorities[p.defaultPriority] !== undefined, {
    message: 'defaultPriority must be one of the policy priorities',
    path: ['defaultPriority'],
  });

export type SupportPolicy = z.infer<typeof supportPolicySchema>;
export type PriorityTargets = z.infer<typeof priorityTargetsSchema>;
export type RequiredField = z.infer<typeof requiredFieldSchema>;
export type LegacyVersion = z.infer<typeof legacyVersionSchema>;
export type EmergencySettings = z.infer<typeof emergencySchema>;

export function policyRef(policy: Pick<SupportPolicy, 'id' | 'version'>): string {
  return `${policy.id}@${policy.version}`;
}

export function supportedPriorities(policy: SupportPolicy): Priority[] {
  return PRIORITIES.filter((p) => policy.priorities[p] !== undefined);
}

/**
 * The closest priority the policy offers: the requested one if offered, else the next more urgent one,
 * else the most urgent the policy has (a premium-only "high" policy serves a "normal" request as high).
 */
export function offeredPriority(policy: SupportPolicy, requested: Priority): Priority {
  const offered = supportedPriorities(policy);
  if (offered.includes(requested)) return requested;
  const above = offered.find((p) => priorityRank(p) > priorityRank(requested));
  const fallback = above ?? offered[offered.length - 1];
  if (fallback === undefined) throw new Error(`policy ${policyRef(policy)} offers no priorities`);
  return fallback;
}

export function priorityTargets(policy: SupportPolicy, priority: Priority): PriorityTargets {
  const targets = policy.priorities[priority];
  if (!targets) {
    throw new Error(`policy ${policyRef(policy)} has no "${priority}" priority (it offers ${supportedPriorities(policy).join(', ')})`);
  }
  return targets;
}

export function resolutionTarget(policy: SupportPolicy, priority: Priority, level: ResolutionLevel): Target | undefined {
  const resolution = priorityTargets(policy, priority).resolution;
  if (!resolution) return undefined;
  return level === 'first' ? resolution.firstLevel : resolution.secondLevel;
}

export function refundOf(policy: SupportPolicy): Money | undefined {
  return policy.emergency?.refund;
}

/** Leading major version number ("16.3.6830" → 16, "100.0.9000" → 100); undefined when there is none. */
export function majorVersion(version: string): number | undefined {
  const match = /^\s*v?(\d+)/i.exec(version);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export type LegacyCheck =
  | { legacy: false }
  | { legacy: true; rule: LegacyVersion }
  | { legacy: 'unknown'; rule: LegacyVersion };

/** 000: bug fixes only for current builds; a rule names the newest major that no longer gets them. */
export function checkLegacyVersion(policy: SupportPolicy, installed: ProductVersion | undefined): LegacyCheck {
  if (!installed) return { legacy: false };
  const rule = policy.legacyVersions.find((r) => r.product.toLowerCase() === installed.product.trim().toLowerCase());
  if (!rule) return { legacy: false };
  const major = majorVersion(installed.version);
  if (major === undefined) return { legacy: 'unknown', rule };
  return major <= rule.maxMajor ? { legacy: true, rule } : { legacy: false };
}
