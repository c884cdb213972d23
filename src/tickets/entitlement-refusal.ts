import type { VendorProfile } from '../domain/accounts/index';
import { hourlyRateFor, type Catalog } from '../domain/catalog/index';
import { DomainError } from '../domain/errors';
import type { SupportPolicy, TicketChannel } from '../domain/ticket/index';
import type { EntitlementDecision } from '../subscriptions/entitlement-gateway';

export interface RefusedClaim {
  decision: Extract<EntitlementDecision, { covered: false }>;
  channel: TicketChannel;
  policy: SupportPolicy;
  vendor: VendorProfile;
  catalog: Catalog;
}

/** Web-form tickets are written requests and count as email (workflows/subscription/contract.ts). */
const countedAs = (c: TicketChannel) => (c === 'phone' ? 'phone' : 'email');

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A subscription claim refused at opening. A plan's limit on a channel (004: "Phone support may be
 * limited to 5 incidents per year") refuses a subscriber, who must not read the vendor's advice to the
 * uncovered ("every request is billed hourly"): its own code goes out, with what is still open to it.
 * Anything else (the subscription ended since the peek) is a customer without an entitlement.
 */
export function entitlementRefusal(r: RefusedClaim): DomainError {
  const { decision: e, channel } = r;
  if (e.code !== 'incident_cap_reached' && e.code !== 'channel_not_included') {
    return new DomainError('not_entitled', `${capitalise(e.reason)}. ${r.vendor.noContract.advice}`, [
      { path: 'body.customerId', message: e.code },
    ]);
  }
  const others = (r.policy.channels ?? []).filter((c) => countedAs(c) !== countedAs(channel));
  const paid = paidPath(r);
  const ways = [...(others.length ? [`open the request by ${others.join(' or ')} under the subscription`] : []), ...(paid ? [paid] : [])];
  const sentences = [capitalise(e.reason)];
  if (e.code === 'incident_cap_reached') sentences.push(`The cap counts ${channel} tickets only`);
  if (ways.length) sentences.push(capitalise(ways.join(', or ')));
  return new DomainError(e.code, `${sentences.join('. ')}.`, [{ path: 'body.channel', message: e.reason }]);
}

/** The vendor's path for requests no subscription covers, which a subscriber may name as well. */
function paidPath(r: RefusedClaim): string | undefined {
  const policyId = r.vendor.noContract.openOnPolicyId;
  if (!policyId) return undefined;
  const billing = hourlyRateFor(r.catalog, r.vendor.id, policyId) ? 'billed hourly at then-current rates' : 'paid for separately';
  return `name policyId "${policyId}" to open it outside the subscription, ${billing}`;
}
