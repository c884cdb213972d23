import { getPolicyPreset, type SupportPolicy, type Target } from '../../src/domain/ticket/index';

const wall = (ms: number): Target => ({ ms, clock: 'wall' });

/**
 * A 24x7 wall-clock policy with targets in seconds, for tests on the real dev server where time
 * cannot be skipped. Built from a seed preset so every other rule stays the seed's.
 */
export function fastPolicy(
  id: string,
  secs: { firstResponse: number; nextReply?: number; resolution?: number; periodic?: number; autoClose?: number; reopen?: number },
): SupportPolicy {
  const base = getPolicyPreset('emetrotel-premium-plus');
  const targets = {
    firstResponse: wall(secs.firstResponse * 1000),
    nextReply: wall((secs.nextReply ?? 3600) * 1000),
    ...(secs.periodic ? { periodicUpdate: wall(Math.round(secs.periodic * 1000)) } : {}),
    resolution: { firstLevel: wall((secs.resolution ?? 7200) * 1000), secondLevel: wall((secs.resolution ?? 7200) * 4000) },
  };
  return {
    ...base,
    id,
    name: `Test policy ${id}`,
    defaultPriority: 'normal',
    priorities: { normal: targets, high: targets, urgent: targets, low: targets },
    requiredFields: [],
    warnings: { fractions: [0.75], basis: 'wall' },
    autoCloseAfter: wall((secs.autoClose ?? 3600) * 1000),
    reopenWindow: wall((secs.reopen ?? 7200) * 1000),
  };
}
