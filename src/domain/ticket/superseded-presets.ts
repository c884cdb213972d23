import type { SupportPolicy } from './policy';
import { getPolicyPreset, policyPresets } from './policy-presets';

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

const standard000 = getPolicyPreset('smartertools-standard');
const emergency000 = getPolicyPreset('smartertools-emergency');

const SUPERSEDED: readonly SupportPolicy[] = [
  // Version 2 serves the phone (000 "via email and/or phone call") on a calendar closed on US holidays.
  { ...standard000, version: 1, channels: ['web', 'email'], requiredFields: anyDigitVersion(standard000) },
  { ...emergency000, version: 1, requiredFields: anyDigitVersion(emergency000) },
  // Version 2 serves the console's "Help" tab (web) as well (003).
  { ...getPolicyPreset('mailup-standard'), version: 1, channels: ['email'] },
  { ...getPolicyPreset('mailup-premium'), version: 1, channels: ['email', 'phone'] },
];

/** The preset `id` at exactly `version`, current or superseded. */
export function presetAtVersion(id: string, version: number): SupportPolicy | undefined {
  const current = policyPresets[id];
  if (current?.version === version) return current;
  return SUPERSEDED.find((p) => p.id === id && p.version === version);
}
