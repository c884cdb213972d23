import { z } from 'zod';
import { isKnownZone } from '../domain/calendar/zone-offsets';
import type { CalendarSpec } from '../domain/calendar/index';
import { previewDeadlines, supportedPriorities, supportPolicySchema, type SupportPolicy } from '../domain/ticket/index';
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
    if (f.pattern === undefined) return;
    try {
      new RegExp(f.pattern);
    } catch {
      errors.push({ path: `requiredFields.${i}.pattern`, message: 'not a valid regular expression' });
    }
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
  try {
    for (const priority of supportedPriorities(policy)) previewDeadlines(policy, priority, Date.now(), calendar ? { calendar } : {});
  } catch (err) {
    throw invalid(where, [
      { path: 'priorities', message: `deadlines cannot be computed: ${err instanceof Error ? err.message : String(err)}` },
    ]);
  }
  return { policy, calendars };
}
