import type { SupportPolicy } from './policy';
import { getPolicyPreset, PER_USER_OUTAGE_PHRASES, policyPresets } from './policy-presets';

/**
 * Earlier versions of the built-in presets. A ticket keeps the version it opened on (its workflow carries
 * it); reports and calendar changes look that version up by id and version, so an old one must stay
 * findable. Each entry is its successor with the rules it had then; `assumptions` explain, decide nothing.
 */
/** Version 1 of 000's presets took any version with a digit in it; version 2 asks for a build number. */
function anyDigitVersion(p: SupportPolicy): SupportPolicy['requiredFields'] {
  return p.requiredFields.map((f) =>
    f.key === 'productVersion' ? { ...f, pattern: '\\d', patternHint: 'a version number such as 100.0.9000' } : f,
  );
}

/** 003 before version 3 listed no topic as outside its scope. */
function withoutScopeExclusions(id: string): SupportPolicy {
  const { scopeExclusions: _s, assumptions, ...rest } = getPolicyPreset(id);
  return { ...rest, assumptions: assumptions.filter((a) => !a.includes('Pre-Paid Hours')) };
}

/** 002 before version 2 copied nobody on an end user's ticket. */
function withoutResellerCopy(id: string): SupportPolicy {
  const { copyReseller: _c, assumptions, ...rest } = getPolicyPreset(id);
  return { ...rest, version: 1, assumptions: assumptions.filter((a) => !a.includes('authorized E-MetroTel Reseller')) };
}

const standard000 = getPolicyPreset('smartertools-standard');
const emergency000 = getPolicyPreset('smartertools-emergency');
const mailupStandard2 = { ...withoutScopeExclusions('mailup-standard'), version: 2 };
const mailupPremium2 = { ...withoutScopeExclusions('mailup-premium'), version: 2 };

const SUPERSEDED: readonly SupportPolicy[] = [
  // Version 2 serves the phone (000 "via email and/or phone call") on a calendar closed on US holidays.
  { ...standard000, version: 1, channels: ['web', 'email'], requiredFields: anyDigitVersion(standard000) },
  { ...emergency000, version: 1, requiredFields: anyDigitVersion(emergency000) },
  // Version 3 lists the topics support does not cover and what is sold for them (003).
  mailupStandard2,
  mailupPremium2,
  // Version 2 serves the console's "Help" tab (web) as well (003).
  { ...mailupStandard2, version: 1, channels: ['email'] },
  { ...mailupPremium2, version: 1, channels: ['email', 'phone'] },
  // Version 2 copies the reseller on an end user's ticket (002).
  ...['emetrotel-standard', 'emetrotel-premium', 'emetrotel-premium-plus', 'emetrotel-hardware-warranty'].map(withoutResellerCopy),
  // Version 2 hears more words for 004's "other major issue".
  {
    ...getPolicyPreset('per-user-support'),
    version: 1,
    priorityRaisers: PER_USER_OUTAGE_PHRASES.map((phrase) => ({ phrase, priority: 'urgent' as const })),
  },
];

/** The preset `id` at exactly `version`, current or superseded. */
export function presetAtVersion(id: string, version: number): SupportPolicy | undefined {
  const current = policyPresets[id];
  if (current?.version === version) return current;
  return SUPERSEDED.find((p) => p.id === id && p.version === version);
}
