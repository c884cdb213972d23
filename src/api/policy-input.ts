import { z } from 'zod';
import { isKnownZone } from '../domain/calendar/zone-offsets';
import type { CalendarSpec } from '../domain/calendar/index';
import {
  calendarForPolicy,
  fieldPatternProblem,
  instantAfter,
  MAX_TARGET_MS,
  priorityTargets,
  supportedPriorities,
  supportPolicySchema,
  type SupportPolicy,
  type Target,
} from '../domain/ticket/index';
import type { CalendarStore } from '../tickets/calendar-store';
import type { PolicyStore } from '../tickets/policy-store';
import { fromZod, Problem, type FieldError } from './problem';
import { slugId } from './schemas';

/** The domain's policy shape, closed at the top level; id and version come from the path and the store. */
export const policyInputSchema = z
  .strictObject({ ...supportPolicySchema.shape, id: slugId.optional(), version: z.number().int().positive().optional() })
  .meta({ id: 'SupportPolicyInput' });

export const policySchema = z
  .looseObject({
    id: z.string(),
    version: z.number().int(),
    name: z.string(),
    calendarId: z.string(),
    zone: z.string(),
    defaultPriority: z.string(),
    priorities: z.record(z.string(), z.looseObject({})),
    // Named so a client can show them before a customer writes (003's exclusions, 002's reseller copy).
    copyReseller: supportPolicySchema.shape.copyReseller.describe('Mails to the customer copy its reseller (002).'),
    scopeExclusions: supportPolicySchema.shape.scopeExclusions.describe(
      'Topics the support does not cover and the paid alternatives offered for them (003); a ticket on one is resolved as out_of_scope.',
    ),
    source: z.enum(['preset', 'stored']),
  })
  .meta({ id: 'SupportPolicy' });

const invalid = (where: string, errors: FieldError[]) =>
  new Problem(
    422,
    'invalid_policy',
    'The policy cannot be used as given.',
    errors.map((e) => ({ ...e, path: `${where}.${e.path}` })),
  );

/** Every instant a ticket's timers or search attributes hold lies within this of its opening. */
const HORIZON_MS = 2 * MAX_TARGET_MS;

/**
 * Computes every target of the policy for a ticket opened now, as a ticket would: one that no instant
 * of the calendar meets (a calendar never open, a target beyond its horizon) is refused here, never
 * stored to promise nothing.
 */
function unreachableTargets(policy: SupportPolicy, calendar: CalendarSpec | undefined, now: number): FieldError[] {
  const cal = calendar ?? calendarForPolicy(policy);
  const errors: FieldError[] = [];
  const check = (path: string, target: Target | undefined) => {
    if (!target) return;
    let due: number;
    try {
      due = instantAfter(target, cal, now);
    } catch (err) {
      errors.push({ path, message: `cannot be computed: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (!Number.isFinite(due) || due - now > HORIZON_MS) {
      errors.push({ path, message: `no instant of calendar ${policy.calendarId} meets this target within 20 years` });
    }
  };
  for (const priority of supportedPriorities(policy)) {
    const t = priorityTargets(policy, priority);
    const at = `priorities.${priority}`;
    check(`${at}.firstResponse`, t.firstResponse);
    check(`${at}.nextReply`, t.nextReply);
    check(`${at}.periodicUpdate`, t.periodicUpdate);
    check(`${at}.resolution.firstLevel`, t.resolution?.firstLevel);
    check(`${at}.resolution.secondLevel`, t.resolution?.secondLevel);
  }
  check('phoneCallback', policy.phoneCallback);
  check('autoCloseAfter', policy.autoCloseAfter);
  check('reopenWindow', policy.reopenWindow);
  return errors;
}

export interface CheckedPolicy {
  policy: SupportPolicy;
  /** Custom calendars the policy and its fallback name, for the workflow (which cannot read the database). */
  calendars: Record<string, CalendarSpec>;
}

/**
 * Everything that would otherwise fail later inside a ticket: the refinements, a real zone, known
 * calendars and fallback policy, compilable field patterns, and a deadline preview at every priority.
 */
export async function checkPolicy(
  deps: { policies: PolicyStore; calendars: CalendarStore },
  input: z.output<typeof policyInputSchema>,
  id: string,
  version: number,
  where: 'body' | 'body.policy',
): Promise<CheckedPolicy> {
  const full = supportPolicySchema.safeParse({ ...input, id, version });
  if (!full.success) {
    const p = fromZod(full.error, 'body');
    throw invalid(
      where,
      (p.errors ?? []).map((e) => ({ ...e, path: e.path.replace(/^body\./, '') })),
    );
  }
  const policy = full.data;
  const errors: FieldError[] = [];
  if (!isKnownZone(policy.zone)) errors.push({ path: 'zone', message: 'unknown IANA time zone' });
  const calendar = await deps.calendars.get(policy.calendarId);
  if (!calendar) errors.push({ path: 'calendarId', message: 'unknown calendar' });
  policy.requiredFields.forEach((f, i) => {
    const problem = f.pattern === undefined ? undefined : fieldPatternProblem(f.pattern);
    if (problem) errors.push({ path: `requiredFields.${i}.pattern`, message: problem });
  });
  const calendars: Record<string, CalendarSpec> = calendar ? { [policy.calendarId]: calendar } : {};
  if (policy.emergency) {
    const fallback = policy.emergency.fallbackPolicyId === id ? undefined : await deps.policies.get(policy.emergency.fallbackPolicyId);
    if (!fallback) errors.push({ path: 'emergency.fallbackPolicyId', message: 'unknown policy (and not this one)' });
    else {
      const spec = await deps.calendars.get(fallback.calendarId);
      if (spec) calendars[fallback.calendarId] = spec;
    }
  }
  if (errors.length) throw invalid(where, errors);
  const unreachable = unreachableTargets(policy, calendar ?? undefined, Date.now());
  if (unreachable.length) throw invalid(where, unreachable);
  return { policy, calendars };
}
