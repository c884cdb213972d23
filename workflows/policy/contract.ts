import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CalendarSpec } from '../../src/domain/calendar/core';
import type { SupportPolicy } from '../../src/domain/ticket/core';
import { TICKET_TASK_QUEUE } from '../ticket/contract';

/** A new policy version: stored, then walked onto every open ticket pinned to the policy, durably. */
export const POLICY_TASK_QUEUE = TICKET_TASK_QUEUE;

export function policyChangeWorkflowId(policyId: string, version: number): string {
  return `policy-${policyId}-v${version}`;
}

export interface PolicyChangeInput {
  policy: SupportPolicy;
  /** policyFingerprint(policy): two requests racing for one version number are told apart by it. */
  fingerprint: string;
  /** Calendars the policy names, regional holidays frozen into dates (the sandbox cannot expand them). */
  calendars: Record<string, CalendarSpec>;
  /** Store the version first (absent when only the recompute is re-run for a stored version). */
  store: boolean;
  /** Tickets per page (RECOMPUTE_PAGE by default). */
  pageSize?: number;
  /** Continue-as-new carries where the walk stands. */
  progress?: PolicyChangeProgress;
}

export interface PolicyChangeProgress {
  afterTicketId?: string;
  signalled: number;
  finished: number;
  done: boolean;
}

/** Answers once the version is stored (or refuses with version_conflict): the PUT's reply waits for it. */
export const policyStoredUpdate = defineUpdate<PolicyChangeProgress, [{ fingerprint: string }]>('policyStored');
export const policyChangeQuery = defineQuery<PolicyChangeProgress>('progress');

/** Tickets signalled per page; each page is one activity and one continue-as-new at most. */
export const RECOMPUTE_PAGE = 100;
