import { matchesFieldPattern } from './field-pattern';
import { offeredPriority, type SupportPolicy } from './policy';
import { priorityRank, type Priority, type TicketChannel } from './types';

export interface FieldError {
  /** zod-style path so the API can merge these with its own schema issues. */
  path: string[];
  message: string;
}

export type TicketFields = Readonly<Record<string, unknown>>;

/**
 * Checks the fields the policy demands (the customer's "duties") of a ticket opened on `channel`; a field
 * the policy asks for on other channels only is not checked, nor is any when the channel is not known.
 * Unknown extra fields are left alone.
 */
export function validateTicketFields(policy: SupportPolicy, fields: TicketFields, channel?: TicketChannel): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of policy.requiredFields) {
    if (field.channels && (channel === undefined || !field.channels.includes(channel))) continue;
    const path = ['fields', field.key];
    const raw = fields[field.key];
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      errors.push({ path, message: `${field.label} must be text` });
      continue;
    }
    const value = (raw ?? '').trim();
    if (value === '') {
      errors.push({ path, message: `${field.label} is required by ${policy.name}` });
      continue;
    }
    if (field.minLength !== undefined && value.length < field.minLength) {
      errors.push({ path, message: `${field.label} must be at least ${field.minLength} characters` });
      continue;
    }
    if (field.oneOf && !field.oneOf.some((allowed) => allowed.toLowerCase() === value.toLowerCase())) {
      errors.push({ path, message: `${field.label} must be one of ${field.oneOf.join(', ')}` });
      continue;
    }
    if (field.pattern !== undefined && !matchesFieldPattern(field.pattern, value)) {
      errors.push({ path, message: `${field.label} must be ${field.patternHint ?? `text matching /${field.pattern}/`}` });
    }
  }
  return errors;
}

/**
 * Customers type "Emergency - System Down", "emergency—system down", "EMERGENCY  SYSTEM DOWN"...:
 * case, dashes and spacing are not what they mean, so none of them decide a match.
 */
function normalizePhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[-\u2010-\u2015\u2212]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Priority the ticket actually gets: the requested one (or the policy default), raised, never lowered,
 * by any priority phrase the policy recognises in the subject/description (002: "Emergency – System Down"),
 * then mapped onto a priority the policy actually offers.
 */
export function effectivePriority(policy: SupportPolicy, requested: Priority | undefined, text: string): Priority {
  let priority = requested ?? policy.defaultPriority;
  const haystack = normalizePhrase(text);
  for (const raiser of policy.priorityRaisers) {
    if (haystack.includes(normalizePhrase(raiser.phrase)) && priorityRank(raiser.priority) > priorityRank(priority)) {
      priority = raiser.priority;
    }
  }
  return offeredPriority(policy, priority);
}
