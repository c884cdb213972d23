import { createHash } from 'node:crypto';
import type { Db } from '../db/client';
import { featureSet } from '../domain/subscription';
import { customerSubscriptionStates } from './billing-store';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * What a provisioning system switches on for the customer right now (004's lapse list: softphone app,
 * remote portal, off-site phones, integrations, new extensions, updates). The ETag covers everything
 * but `asOf`, so a poller sending If-None-Match gets 304 until a feature, a grant or a date changes;
 * `nextChangeAt` says when the next one is due if nobody renews, so it knows when to look again.
 */
export async function customerFeatures(db: Db, customerId: string, now: number) {
  const features = featureSet(await customerSubscriptionStates(db, customerId), now).map((f) => ({
    feature: f.feature,
    enabled: f.enabled,
    since: iso(f.since),
    grantedBy: f.grantedBy.map((g) => ({ subscriptionId: g.subscriptionId, planId: g.planId, since: iso(g.since), until: iso(g.until) })),
    lastGrantedBy: f.lastGrantedBy,
  }));
  const ends = features.flatMap((f) => f.grantedBy.map((g) => g.until ?? ''));
  const nextChangeAt = ends.length ? ends.sort()[0]! : null;
  const content = { customerId, features, nextChangeAt };
  const etag = `"${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 27)}"`;
  return { body: { ...content, asOf: new Date(now).toISOString() }, etag };
}
