import { createHash } from 'node:crypto';
import type { SupportPolicy } from '../domain/ticket/index';

/** What a policy version says, whatever its key order or version number: equal policies, equal prints. */
export function policyFingerprint(p: SupportPolicy): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  const { version: _v, ...rest } = p;
  return createHash('sha256')
    .update(JSON.stringify(sort(rest)))
    .digest('hex');
}
