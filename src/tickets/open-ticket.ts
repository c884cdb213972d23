import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { fromPayloadsAtIndex, type SearchAttributePair } from '@temporalio/common';
import {
  effectivePriority,
  previewDeadlines,
  validateTicketFields,
  type Priority,
  type Schedule,
  type ScheduleItemKind,
  type SupportPolicy,
} from '../domain/ticket/index';
import { CustomerIdKey, SupportTierKey, TicketStatusKey, ticketSearchAttributes } from '../../workflows/search-attributes';
import { SlaState, TICKET_TASK_QUEUE, ticketWorkflowId, type Contacts, type OpenTicketInput } from '../../workflows/ticket/contract';
import { ticketRefusedWorkflow } from '../../workflows/ticket/ticket-refused-workflow';
import { ticketWorkflow } from '../../workflows/ticket/ticket-workflow';
import { DomainError } from '../domain/errors';
import { getCalendarPreset, type CalendarSpec } from '../domain/calendar/index';
import { frozenCalendars } from './ticket-calendars';
import type { CalendarStore } from './calendar-store';
import type { EntitlementGateway } from '../subscriptions/entitlement-gateway';
import type { PolicyStore } from './policy-store';

/** What a caller supplies; the rest of the workflow input (policy, deadlines, tier) is decided here. */
export type OpenTicketRequest = Pick<
  OpenTicketInput,
  'customerId' | 'resellerId' | 'requesterEmail' | 'requesterZone' | 'subject' | 'description' | 'channel' | 'fields' | 'parentTicketId'
> & { priority?: Priority; policyId: string; ticketId?: string };

export interface TicketOpener {
  client: Client;
  policies: PolicyStore;
  contacts: Contacts;
  entitlements?: EntitlementGateway;
  /** Custom calendars a stored policy may name; presets need none. */
  calendars?: CalendarStore;
  taskQueue?: string;
  now?: () => number;
}

/**
 * Everything checked before a workflow starts, so a refused ticket leaves nothing behind: the policy
 * exists, its required fields are there, the customer is entitled at this instant.
 */
export async function openTicket(deps: TicketOpener, req: OpenTicketRequest) {
  const policy = await deps.policies.get(req.policyId);
  if (!policy)
    throw new DomainError('unknown_policy', `No support policy "${req.policyId}".`, [{ path: 'body.policyId', message: 'unknown policy' }]);
  const fieldErrors = validateTicketFields(policy, { description: req.description, ...req.fields }, req.channel);
  if (fieldErrors.length) {
    // The description is a top-level field of the request; the policy checks it like any other.
    const pathOf = (path: string[]) =>
      path[1] === 'description' && req.fields.description === undefined ? 'body.description' : ['body', ...path].join('.');
    const errors = fieldErrors.map((e) => ({ path: pathOf(e.path), message: e.message }));
    throw new DomainError('missing_ticket_fields', `${policy.name} needs more information to open a ticket.`, errors);
  }
  const policiesById: Record<string, SupportPolicy> = { [policy.id]: policy };
  if (policy.emergency) {
    const fallback = await deps.policies.get(policy.emergency.fallbackPolicyId);
    if (!fallback) throw new DomainError('policy_misconfigured', `Fallback policy ${policy.emergency.fallbackPolicyId} is missing.`);
    policiesById[fallback.id] = fallback;
  }
  // A policy on a custom calendar carries the calendar into the workflow, which cannot read the database.
  const calendars: Record<string, CalendarSpec> = {};
  for (const p of Object.values(policiesById)) {
    if (getCalendarPreset(p.calendarId)) continue;
    const spec = await deps.calendars?.get(p.calendarId);
    if (!spec) throw new DomainError('policy_misconfigured', `Calendar ${p.calendarId} of policy ${p.id} is missing.`);
    calendars[p.calendarId] = spec;
  }
  const priority = effectivePriority(policy, req.priority, `${req.subject}\n${req.description}`);
  const openedAt = (deps.now ?? Date.now)();
  const frozen = frozenCalendars(Object.values(policiesById), calendars, openedAt);
  const ticketId = req.ticketId ?? `T-${randomUUID().slice(0, 8).toUpperCase()}`;

  let tier = policy.id;
  let subscriptionId: string | undefined;
  if (deps.entitlements && !policy.emergency) {
    const e = await deps.entitlements.claim({ customerId: req.customerId, ticketId, channel: req.channel, at: openedAt });
    if (!e.covered && e.code !== 'no_subscription') {
      const offer =
        'Renew the subscription to restore support, or open a paid emergency ticket (policy smartertools-emergency) for a one-hour response.';
      await deps.client.workflow.start(ticketRefusedWorkflow, {
        workflowId: ticketWorkflowId(ticketId),
        taskQueue: deps.taskQueue ?? TICKET_TASK_QUEUE,
        args: [
          {
            ticketId,
            customerId: req.customerId,
            requesterEmail: req.requesterEmail,
            subject: req.subject,
            code: e.code,
            reason: e.reason,
            offer,
            at: openedAt,
          },
        ],
        staticSummary: `Refused ticket for ${req.customerId}: ${e.code}`,
        typedSearchAttributes: [
          { key: CustomerIdKey, value: req.customerId },
          { key: TicketStatusKey, value: 'refused' },
        ],
      });
      throw new DomainError('not_entitled', `${e.reason} ${offer}`, [{ path: 'body.customerId', message: e.code }]);
    }
    if (e.covered) {
      tier = e.tier;
      subscriptionId = e.subscriptionId;
    }
  }

  const product =
    req.fields.product && req.fields.productVersion ? { product: req.fields.product, version: req.fields.productVersion } : undefined;
  const input: OpenTicketInput = {
    ticketId,
    customerId: req.customerId,
    ...(req.resellerId ? { resellerId: req.resellerId } : {}),
    requesterEmail: req.requesterEmail,
    ...(req.requesterZone ? { requesterZone: req.requesterZone } : {}),
    subject: req.subject,
    description: req.description,
    fields: req.fields,
    channel: req.channel,
    priority,
    policy,
    policies: policiesById,
    calendars: frozen,
    ...(product ? { product } : {}),
    tier,
    ...(subscriptionId ? { subscriptionId } : {}),
    ...(req.parentTicketId ? { parentTicketId: req.parentTicketId } : {}),
    contacts: deps.contacts,
    openedAt,
  };
  const schedule = scheduleOf(input);
  const first = schedule.items.find((i) => i.kind === 'first_response');
  await deps.client.workflow.start(ticketWorkflow, {
    workflowId: ticketWorkflowId(ticketId),
    taskQueue: deps.taskQueue ?? TICKET_TASK_QUEUE,
    args: [input],
    staticSummary: `${policy.name} · ${priority} · ${req.customerId}: ${req.subject.slice(0, 80)}`,
    staticDetails: first ? first.text : undefined,
    // Who may see the ticket before its row is written (the API's tenant check reads it).
    memo: { customerId: req.customerId, ...(req.resellerId ? { resellerId: req.resellerId } : {}) },
    typedSearchAttributes: [
      { key: CustomerIdKey, value: req.customerId },
      { key: SupportTierKey, value: tier },
      ...ticketSearchAttributes({ status: 'new', priority, slaState: SlaState.Ok, nextDeadline: first?.dueAt ?? null }).filter(
        (a): a is SearchAttributePair => a.value !== null,
      ),
    ],
  });
  return openedTicket(input, schedule);
}

/**
 * The deadlines the API promises at opening: the same ones the workflow computes from its input (a phone
 * ticket is a message left for a call back, owed where the policy promises one).
 */
function scheduleOf(input: OpenTicketInput): Schedule {
  const calendar = input.calendars?.[input.policy.calendarId];
  return previewDeadlines(input.policy, input.priority, input.openedAt, {
    ...(input.requesterZone ? { zone: input.requesterZone } : {}),
    ...(calendar ? { calendar } : {}),
    ...(input.channel === 'phone' ? { includePhoneCallback: true } : {}),
  });
}

/** The schedule's item kinds by the clock each one is (the workflow's `deadlines` keys). */
function clockOf(kind: ScheduleItemKind): string {
  if (kind === 'resolution_first_level') return 'resolution';
  if (kind === 'phone_callback') return 'callback';
  return kind;
}

/** The 201 body, built from the workflow input alone so that a retry can rebuild it exactly. */
function openedTicket(input: OpenTicketInput, schedule: Schedule) {
  return {
    id: input.ticketId,
    status: 'new' as const,
    priority: input.priority,
    policyId: input.policy.id,
    policyVersion: input.policy.version,
    tier: input.tier,
    openedAt: new Date(input.openedAt).toISOString(),
    deadlines: Object.fromEntries(
      schedule.items.filter((i) => i.kind !== 'resolution_second_level').map((i) => [clockOf(i.kind), i.dueIso]),
    ),
    schedule: schedule.items.map((i) => ({ kind: i.kind, dueAt: i.dueIso, text: i.text })),
  };
}

/**
 * The 201 body an earlier attempt with the same ticket id got (or would have got, had its reply not
 * been lost), rebuilt from the workflow's start input; undefined when that id is not an opened ticket
 * (a refused one, say).
 */
export async function openedTicketOf(client: Client, ticketId: string): Promise<ReturnType<typeof openedTicket> | undefined> {
  const history = await client.workflow.getHandle(ticketWorkflowId(ticketId)).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (started?.workflowType?.name !== ticketWorkflow.name) return undefined;
  const input = fromPayloadsAtIndex<OpenTicketInput>(client.options.loadedDataConverter.payloadConverter, 0, started.input?.payloads);
  return openedTicket(input, scheduleOf(input));
}
