import { createHash } from 'node:crypto';
import type { Db } from '../db/client';
import { featureSet, licenseSet, type CustomerFeature } from '../domain/subscription';
import { customerSubscriptionStates } from './billing-store';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const present = (f: CustomerFeature) => ({
  enabled: f.enabled,
  since: iso(f.since),
  grantedBy: f.grantedBy.map((g) => ({ subscriptionId: g.subscriptionId, planId: g.planId, since: iso(g.since), until: iso(g.until) })),
  lastGrantedBy: f.lastGrantedBy,
});

/**
 * What a provisioning system switches on for the customer right now (004's lapse list: softphone app,
 * remote portal, off-site phones, integrations, new extensions, updates). The ETag covers everything
 * but `asOf`, so a poller sending If-None-Match gets 304 until a feature, a grant or a date changes;
 * `nextChangeAt` says when the next one is due if nobody renews, so it knows when to look again.
 */
export async function customerFeatures(db: Db, customerId: string, now: number) {
  const states = await customerSubscriptionStates(db, customerId);
  const features = featureSet(states, now).map((f) => ({ feature: f.feature, ...present(f) }));
  // 004's third-party licenses go off and on with the subscription, so a provisioning system reads them here too.
  const thirdPartyLicenses = licenseSet(states, now).map((l) => ({ license: l.feature, name: l.name, ...present(l) }));
  const ends = [...features, ...thirdPartyLicenses].flatMap((f) => f.grantedBy.map((g) => g.until ?? ''));
  const nextChangeAt = ends.length ? ends.sort()[0]! : null;
  const content = { customerId, features, thirdPartyLicenses, nextChangeAt };
  const etag = `"${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 27)}"`;
  return { body: { ...content, asOf: new Date(now).toISOString() }, etag };
}
