import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { getPolicyPreset, type Priority } from '../../src/domain/ticket/index';
import { frozenCalendars } from '../../src/tickets/ticket-calendars';
import type { OpenTicketInput } from '../../workflows/ticket/contract';
import { TEST_CONTACTS } from './stack';

/** Epoch ms of a local wall-clock time in a named zone: "2027-01-15T12:30" in Europe/Rome. */
export function at(local: string, zone: string): number {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad local time ${local} ${zone}`);
  return dt.toMillis();
}

export function ticketInput(policyId: string, openedAt: number, extra: Partial<OpenTicketInput> = {}): OpenTicketInput {
  const policy = getPolicyPreset(policyId);
  const policies = {
    [policy.id]: policy,
    ...(policy.emergency ? { [policy.emergency.fallbackPolicyId]: getPolicyPreset(policy.emergency.fallbackPolicyId) } : {}),
  };
  const input: OpenTicketInput = {
    ticketId: `TS-${randomUUID().slice(0, 8)}`,
    customerId: 'acme',
    requesterEmail: 'ann@acme.test',
    subject: 'It is broken',
    description: '',
    fields: {},
    channel: 'email',
    priority: (extra.priority ?? policy.defaultPriority) as Priority,
    policy,
    policies,
    tier: policy.id,
    contacts: TEST_CONTACTS,
    openedAt,
    commits: 'serial',
    secondLevelOwnPromise: true,
    ...extra,
  };
  // What the API does: the sandbox only gets holidays frozen into dates.
  return { ...input, calendars: frozenCalendars([input.policy, ...Object.values(input.policies ?? {})], extra.calendars ?? {}, openedAt) };
}
