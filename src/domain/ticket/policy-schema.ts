import { z } from 'zod';
import { PRIORITIES, TICKET_CHANNELS } from './types';

/**
 * A support policy is data, not code: the API stores it, a ticket pins `id@version` when it opens, and
 * the workflow only ever reads the pinned copy, so editing a policy never moves a running ticket's deadlines.
 * The schema lives apart from ./policy so the workflow sandbox, which only reads validated policies,
 * never evaluates zod.
 */

/** Ten years: longer than any support promise, short enough for every timer and instant to hold it. */
export const MAX_TARGET_MS = 10 * 365.25 * 86_400_000;

const targetSchema = z.object({
  ms: z.number().int().nonnegative().max(MAX_TARGET_MS, 'at most ten years'),
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
  pattern: z.string().max(500).optional(),
  patternHint: z.string().optional(),
  oneOf: z.array(z.string()).optional(),
  /** Asked for only on tickets opened on these channels (003: a phone message needs the number to call back); absent: every channel. */
  channels: z.array(z.enum(TICKET_CHANNELS)).min(1).optional(),
});

/** A snake_case id a client sends back (`html_code`), and the words the customer reads ("HTML code"). */
const excludedTopicSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a snake_case id such as html_code'),
  label: z.string().min(1).max(200),
});

/**
 * 003: "It does not include advice on: message composition, HTML code, deliverability, writing and quality of
 * communications … For these needs the following options are available: Pre-Paid Hours, Full Service and
 * Delivery+ Package." What the support does not cover, and what the vendor sells for it instead.
 */
const scopeExclusionsSchema = z.object({
  topics: z
    .array(excludedTopicSchema)
    .min(1)
    .max(50)
    .refine((t) => new Set(t.map((x) => x.id)).size === t.length, 'each topic id once'),
  /** The paid options offered instead, named in the mail that tells the customer. */
  alternatives: z.array(z.string().min(1).max(200)).max(20).default([]),
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
  /**
   * What every downgrade refunded before the ticket's sale decided (000: the catalog's refundOnDowngrade, the
   * amount charged); only the replay of a ticket downgraded then reads it (workflows/ticket/emergency-as-recorded.ts).
   */
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
      // Each fraction is a timer, an event and a mail per clock: a handful is a warning, thousands a flood.
      fractions: z
        .array(z.number().gt(0).lt(1))
        .max(10, 'at most 10 warnings per clock')
        .refine((f) => new Set(f).size === f.length, 'each warning fraction once'),
      basis: z.enum(['business', 'wall']),
    }),
    autoCloseAfter: targetSchema,
    reopenWindow: targetSchema,
    // Lists a policy may simply not have: absent means none, as a vendor writing one by hand expects.
    requiredFields: z.array(requiredFieldSchema).default([]),
    legacyVersions: z.array(legacyVersionSchema).default([]),
    priorityRaisers: z.array(priorityRaiserSchema).default([]),
    /** The channels the policy serves (001: written only; 003 Standard: email); absent: every channel. The first is the default. */
    channels: z.array(z.enum(TICKET_CHANNELS)).min(1).optional(),
    /** Premium phone support: promised call-back after a voicemail (003). */
    phoneCallback: targetSchema.optional(),
    emergency: emergencySchema.optional(),
    /**
     * 002: "E-MetroTel support to End Users is performed in conjunction with the End User's authorized
     * E-MetroTel Reseller": every mail to the customer copies the reseller the customer buys through.
     */
    copyReseller: z.boolean().optional(),
    /** Topics the support does not cover (003): a ticket on one is resolved as out of scope, naming it. */
    scopeExclusions: scopeExclusionsSchema.optional(),
    /** Tell the customer when an operator cancels the ticket's workflow (the vendor's choice). */
    notifyOnCancellation: z.boolean().optional(),
    /** Why the numbers are what they are where the vendor's text left them open. */
    assumptions: z.array(z.string()).default([]),
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
export type ScopeExclusions = z.infer<typeof scopeExclusionsSchema>;
