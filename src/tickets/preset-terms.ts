import { calendarForPolicy } from '../domain/ticket/policy-calendar';
import { policyPresets } from '../domain/ticket/policy-presets';
import { instantAfter } from '../domain/ticket/sla-clock';
import { PRIORITIES, type Priority } from '../domain/ticket/types';
import type { TicketTerms } from './ticket-terms';

/** Ticket terms from the built-in policy presets (seed policies 000–003). */
export function presetTerms(): TicketTerms {
  return {
    resolve(policyId, priority, openedAt) {
      const policy = policyPresets[policyId];
      if (!policy) return { ok: false, code: 'unknown_policy', reason: `No support policy "${policyId}".` };
      const p = (PRIORITIES as readonly string[]).includes(priority) ? (priority as Priority) : policy.defaultPriority;
      const targets = policy.priorities[p];
      if (!targets) return { ok: false, code: 'priority_not_offered', reason: `Policy ${policyId} does not offer priority "${priority}".` };
      return {
        ok: true,
        policyId: policy.id,
        policyVersion: policy.version,
        tier: policy.id,
        displayZone: policy.zone,
        firstResponseDueAt: instantAfter(targets.firstResponse, calendarForPolicy(policy), openedAt),
      };
    },
  };
}
