import type { CalendarInput } from '../calendar/core';
import { policyRef, priorityTargets, type SupportPolicy } from './policy';
import { calendarForPolicy } from './policy-calendar';
import { deadlineOf, instantAfter, startClockNotBefore } from './sla-clock';
import { describeDue } from './describe';
import type { Priority, Target } from './types';

export type ScheduleItemKind =
  'first_response' | 'resolution_first_level' | 'resolution_second_level' | 'periodic_update' | 'phone_callback';

export interface ScheduleItem {
  kind: ScheduleItemKind;
  target: Target;
  dueAt: number;
  /** UTC, e.g. "2026-11-23T10:30:00.000Z". */
  dueIso: string;
  /** In the policy's customer-facing zone, e.g. "first response due Mon 23 Nov 2026 11:30 Europe/Berlin". */
  text: string;
}

export interface Schedule {
  policy: string;
  priority: Priority;
  openedAt: number;
  openedIso: string;
  zone: string;
  items: ScheduleItem[];
}

const LABELS: Readonly<Record<ScheduleItemKind, string>> = {
  first_response: 'first response',
  resolution_first_level: 'resolution (first level)',
  resolution_second_level: 'resolution (second level)',
  periodic_update: 'first periodic update',
  phone_callback: 'phone callback',
};

function isoOf(at: number): string {
  return new Date(at).toISOString();
}

export interface PreviewOptions {
  calendar?: CalendarInput;
  /** Defaults to the policy's customer-facing zone. */
  zone?: string;
  /** Include the premium phone callback promise (a voicemail left on the support line). */
  includePhoneCallback?: boolean;
  /** When the customer asked to be called back (requestedCallbackAt): the call is not due before it. */
  callbackAt?: number;
}

/** A fresh clock's deadline, as deadlineOf gives it: the instant the workflow arms its timer for. */
function dueOf(kind: ScheduleItemKind, target: Target, calendar: CalendarInput, openedAt: number, callbackAt?: number): number {
  if (kind !== 'phone_callback' || callbackAt === undefined) return instantAfter(target, calendar, openedAt);
  return deadlineOf(startClockNotBefore('callback', target, openedAt, callbackAt, calendar), calendar) ?? Number.NaN;
}

/**
 * Every deadline a ticket opened at `openedAt` would get if nothing else happened: no pauses, no
 * priority change, escalation (second level) assumed from the start so both resolution levels show.
 */
export function previewDeadlines(policy: SupportPolicy, priority: Priority, openedAt: number, options: PreviewOptions = {}): Schedule {
  const calendar = options.calendar ?? calendarForPolicy(policy);
  const zone = options.zone ?? policy.zone;
  const targets = priorityTargets(policy, priority);
  const wanted: Array<[ScheduleItemKind, Target | undefined]> = [
    ['first_response', targets.firstResponse],
    ['resolution_first_level', targets.resolution?.firstLevel],
    ['resolution_second_level', targets.resolution?.secondLevel],
    ['periodic_update', targets.periodicUpdate],
    ['phone_callback', options.includePhoneCallback ? policy.phoneCallback : undefined],
  ];
  const items: ScheduleItem[] = [];
  for (const [kind, target] of wanted) {
    if (!target) continue;
    const dueAt = dueOf(kind, target, calendar, openedAt, options.callbackAt);
    if (!Number.isFinite(dueAt)) continue;
    items.push({ kind, target, dueAt, dueIso: isoOf(dueAt), text: describeDue(LABELS[kind], dueAt, zone) });
  }
  return { policy: policyRef(policy), priority, openedAt, openedIso: isoOf(openedAt), zone, items };
}
