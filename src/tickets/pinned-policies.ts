import type { Coverage } from '../domain/accounts/index';
import { DomainError } from '../domain/errors';
import type { CoveredBy } from '../../workflows/ticket/contract';
import { getCalendarPreset, type CalendarSpec } from '../domain/calendar/index';
import type { SupportPolicy } from '../domain/ticket/index';
import type { CalendarStore } from './calendar-store';
import type { PolicyStore } from './policy-store';
import { frozenCalendars } from './ticket-calendars';

/**
 * What a ticket workflow carries for a policy, since it cannot read the database: the policy with its
 * emergency fallback, and every calendar they name with holidays frozen from `at`.
 */
export async function pinPolicy(
  deps: { policies: PolicyStore; calendars?: CalendarStore | undefined },
  policy: SupportPolicy,
  at: number,
): Promise<{ policies: Record<string, SupportPolicy>; calendars: Record<string, CalendarSpec> }> {
  const policies: Record<string, SupportPolicy> = { [policy.id]: policy };
  if (policy.emergency) {
    const fallback = await deps.policies.get(policy.emergency.fallbackPolicyId);
    if (!fallback) throw new DomainError('policy_misconfigured', `Fallback policy ${policy.emergency.fallbackPolicyId} is missing.`);
    policies[fallback.id] = fallback;
  }
  const custom: Record<string, CalendarSpec> = {};
  for (const p of Object.values(policies)) {
    if (getCalendarPreset(p.calendarId)) continue;
    const spec = await deps.calendars?.get(p.calendarId);
    if (!spec) throw new DomainError('policy_misconfigured', `Calendar ${p.calendarId} of policy ${p.id} is missing.`);
    custom[p.calendarId] = spec;
  }
  return { policies, calendars: frozenCalendars(Object.values(policies), custom, at) };
}

/**
 * The terms as a new ticket's workflow input carries them (issue 16): the policy once, its fallbacks
 * beside it (the workflow pins the policy with them), and no `assumptions`, which explain the figures to
 * people and decide nothing. That halves the input every history, start request and task carries.
 */
export function workflowTerms(
  policy: SupportPolicy,
  pinned: Record<string, SupportPolicy>,
): { policy: SupportPolicy; policies: Record<string, SupportPolicy> } {
  const rules = (p: SupportPolicy): SupportPolicy => ({ ...p, assumptions: [] });
  const fallbacks = Object.entries(pinned).filter(([id]) => id !== policy.id);
  return { policy: rules(policy), policies: Object.fromEntries(fallbacks.map(([id, p]) => [id, rules(p)])) };
}

/** The ticket's record of what covered it, in the workflow contract's shape. */
export function coveredByOf(c: Extract<Coverage, { ok: true }>['coveredBy']): CoveredBy {
  if (c.kind === 'contract') return { kind: 'contract', id: c.contractId };
  if (c.kind === 'subscription') return { kind: 'subscription', id: c.subscriptionId };
  if (c.kind === 'warranty') return { kind: 'warranty', id: c.systemId };
  return { kind: 'paid' };
}
