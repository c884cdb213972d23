import type { LegacyVersion, PriorityTargets, SupportPolicy } from './policy-schema';
import { PRIORITIES, priorityRank, type Money, type Priority, type ProductVersion, type ResolutionLevel, type Target } from './types';

export type { EmergencySettings, LegacyVersion, PriorityTargets, RequiredField, ScopeExclusions, SupportPolicy } from './policy-schema';

export function policyRef(policy: Pick<SupportPolicy, 'id' | 'version'>): string {
  return `${policy.id}@${policy.version}`;
}

export function supportedPriorities(policy: SupportPolicy): Priority[] {
  return PRIORITIES.filter((p) => policy.priorities[p] !== undefined);
}

/**
 * The closest priority the policy offers: the requested one if offered, else the next more urgent one,
 * else the most urgent the policy has (a premium-only "high" policy serves a "normal" request as high).
 */
export function offeredPriority(policy: SupportPolicy, requested: Priority): Priority {
  const offered = supportedPriorities(policy);
  if (offered.includes(requested)) return requested;
  const above = offered.find((p) => priorityRank(p) > priorityRank(requested));
  const fallback = above ?? offered[offered.length - 1];
  if (fallback === undefined) throw new Error(`policy ${policyRef(policy)} offers no priorities`);
  return fallback;
}

export function priorityTargets(policy: SupportPolicy, priority: Priority): PriorityTargets {
  const targets = policy.priorities[priority];
  if (!targets) {
    throw new Error(`policy ${policyRef(policy)} has no "${priority}" priority (it offers ${supportedPriorities(policy).join(', ')})`);
  }
  return targets;
}

export function resolutionTarget(policy: SupportPolicy, priority: Priority, level: ResolutionLevel): Target | undefined {
  const resolution = priorityTargets(policy, priority).resolution;
  if (!resolution) return undefined;
  return level === 'first' ? resolution.firstLevel : resolution.secondLevel;
}

/** The policy's excluded topic with this id (003), or undefined when the support covers it. */
export function excludedTopic(policy: SupportPolicy, topicId: string | undefined): { id: string; label: string } | undefined {
  return policy.scopeExclusions?.topics.find((t) => t.id === topicId);
}

export function refundOf(policy: SupportPolicy): Money | undefined {
  return policy.emergency?.refund;
}

/** Leading major version number ("16.3.6830" → 16, "100.0.9000" → 100); undefined when there is none. */
export function majorVersion(version: string): number | undefined {
  const match = /^\s*v?(\d+)/i.exec(version);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export type LegacyCheck = { legacy: false } | { legacy: true; rule: LegacyVersion } | { legacy: 'unknown'; rule: LegacyVersion };

/** 000: bug fixes only for current builds; a rule names the newest major that no longer gets them. */
export function checkLegacyVersion(policy: SupportPolicy, installed: ProductVersion | undefined): LegacyCheck {
  if (!installed) return { legacy: false };
  const rule = policy.legacyVersions.find((r) => r.product.toLowerCase() === installed.product.trim().toLowerCase());
  if (!rule) return { legacy: false };
  const major = majorVersion(installed.version);
  if (major === undefined) return { legacy: 'unknown', rule };
  return major <= rule.maxMajor ? { legacy: true, rule } : { legacy: false };
}
