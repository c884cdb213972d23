import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { policies } from '../db/schema';
import { policyPresets } from '../domain/ticket/policy-presets';
import { supportPolicySchema, type SupportPolicy } from '../domain/ticket/index';

/** Where the API finds the policy a ticket pins: stored versions first, then the built-in presets. */
export interface PolicyStore {
  get(id: string): Promise<SupportPolicy | undefined>;
}

export function presetPolicyStore(extra: Record<string, SupportPolicy> = {}): PolicyStore {
  return { get: async (id) => extra[id] ?? policyPresets[id] };
}

export function dbPolicyStore(db: Db, fallback: PolicyStore = presetPolicyStore()): PolicyStore {
  return {
    async get(id) {
      const [row] = await db
        .select()
        .from(policies)
        .where(and(eq(policies.id, id)))
        .orderBy(desc(policies.version))
        .limit(1);
      if (!row) return fallback.get(id);
      return supportPolicySchema.parse(row.spec);
    },
  };
}
