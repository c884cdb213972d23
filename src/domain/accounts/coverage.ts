import type {
  Contract,
  Coverage,
  Customer,
  InstalledSystem,
  Reseller,
  ServiceKind,
  SoldWarranty,
  SubscriptionCover,
  VendorProfile,
} from './types';

type Offer = Extract<Coverage, { ok: true }>;

export interface CoverageQuestion {
  customer: Customer;
  vendor: VendorProfile;
  /** The opening instant (epoch ms): 002 covers tickets opened before expiry, not after. */
  at: number;
  requestedPolicyId?: string;
  systemId?: string;
  subscription?: SubscriptionCover;
  /** The hardware warranties the customer's subscriptions sold; only a warranty request reads them. */
  warranties?: SoldWarranty[];
  /** Absent: software support. */
  service?: ServiceKind;
}

export function contractActiveAt(c: Contract, at: number): boolean {
  return Date.parse(c.validFrom) <= at && (c.validTo === undefined || at < Date.parse(c.validTo));
}

/** A contract for some systems covers only tickets that name one of them (002's registry check is per system). */
const coversSystem = (c: Contract, system: InstalledSystem | undefined) =>
  !c.systemIds || (system !== undefined && c.systemIds.includes(system.id));

/**
 * Which policy a ticket opened at `at` gets, decided by what the customer bought (issue 13): the
 * subscription, then direct contracts in their listed order, then what the vendor sells per ticket. A
 * client may name a policy only among these offers; naming none takes the first bought one. Without
 * any, the vendor's rule applies: open on its paid policy (004) or refuse with its advice (000, 002).
 */
export function coverageAt(q: CoverageQuestion): Coverage {
  const system = q.systemId === undefined ? undefined : q.customer.systems.find((s) => s.id === q.systemId);
  if (q.systemId !== undefined && !system) {
    return refuse('unknown_system', `Customer ${q.customer.id} has no system "${q.systemId}".`, []);
  }
  if (q.service === 'hardware_warranty') return warrantyCoverage(q, system);
  const bought: Offer[] = [];
  if (q.subscription?.covered) {
    const { policyId, subscriptionId, tier } = q.subscription;
    bought.push({ ok: true, policyId, coveredBy: { kind: 'subscription', subscriptionId, tier } });
  }
  for (const c of q.customer.contracts) {
    if (contractActiveAt(c, q.at) && coversSystem(c, system)) {
      bought.push({ ok: true, policyId: c.policyId, coveredBy: { kind: 'contract', contractId: c.id } });
    }
  }
  const paidIds = [...q.vendor.paidPolicyIds, ...(q.vendor.noContract.openOnPolicyId ? [q.vendor.noContract.openOnPolicyId] : [])];
  const paid: Offer[] = paidIds.map((policyId) => ({ ok: true, policyId, coveredBy: { kind: 'paid' } }));
  const offers = dedupe([...bought, ...paid]).map((o) => (system ? { ...o, system } : o));
  const allowed = offers.map((o) => o.policyId);

  const openOn = q.vendor.noContract.openOnPolicyId;
  const chosen = q.requestedPolicyId === undefined ? undefined : offers.find((o) => o.policyId === q.requestedPolicyId);
  if (chosen) return chosen;
  // Naming a policy does not turn "nothing bought" into "the wrong thing bought": the vendor's rule answers.
  if (q.requestedPolicyId !== undefined && (bought.length > 0 || openOn)) {
    return refuse(
      'policy_not_in_contract',
      `Policy ${q.requestedPolicyId} is not part of what ${q.customer.name} bought${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}.`,
      allowed,
    );
  }
  const first = offers.find((o) => o.coveredBy.kind !== 'paid');
  if (first) return first;
  if (openOn) return offers.find((o) => o.policyId === openOn) as Offer;

  const forSystems = q.customer.contracts.filter((c) => contractActiveAt(c, q.at) && c.systemIds);
  if (!system && forSystems.length) {
    const ids = [...new Set(forSystems.flatMap((c) => c.systemIds ?? []))];
    return refuse('unknown_system', `Name the system the ticket is about (systemId): the contract covers ${ids.join(', ')} only.`, []);
  }

  const why = q.subscription && !q.subscription.covered ? `${capitalise(q.subscription.reason)}. ` : '';
  if (system && q.customer.contracts.some((c) => contractActiveAt(c, q.at))) {
    const advice = q.vendor.systemAdvice ?? q.vendor.noContract.advice;
    return refuse(
      'system_not_covered',
      `${why}System ${system.type} ${system.hostId ?? system.id} has no active contract. ${advice}`,
      allowed,
    );
  }
  return refuse('not_entitled', `${why}${q.customer.name} has no active support contract. ${q.vendor.noContract.advice}`, allowed);
}

/**
 * 002: "confirms in the manufacturer registry that the equipment has an active Hardware Warranty": the
 * system's warranty decides, whatever its support contract; the vendor's warranty policy applies. That
 * warranty is the later of the end on the system's record and the end of a warranty a subscription sold
 * for it, which an "extended warranty ... within the year of active Hardware Warranty service" moves on.
 */
function warrantyCoverage(q: CoverageQuestion, system: InstalledSystem | undefined): Coverage {
  const warranty = q.vendor.warranty;
  if (!warranty) return refuse('not_under_warranty', `${q.vendor.name} sells no hardware warranty service.`, []);
  if (!system) return refuse('unknown_system', 'A hardware warranty request names its system (systemId).', []);
  if (q.requestedPolicyId !== undefined && q.requestedPolicyId !== warranty.policyId) {
    return refuse('policy_not_in_contract', `A hardware warranty request runs on ${warranty.policyId}.`, [warranty.policyId]);
  }
  const end = warrantyEnd(q, system);
  if (end === undefined || end <= q.at) {
    const ended = end !== undefined ? `ended on ${new Date(end).toISOString().slice(0, 10)}` : 'is not on record';
    return refuse(
      'not_under_warranty',
      `The hardware warranty of ${system.type} ${system.hostId ?? system.id} ${ended}. ${warranty.expiredAdvice}`,
      [],
    );
  }
  return { ok: true, policyId: warranty.policyId, coveredBy: { kind: 'warranty', systemId: system.id }, system };
}

/** The latest warranty end of the system by `q.at`; a sold warranty whose start is still ahead is not yet one. */
function warrantyEnd(q: CoverageQuestion, system: InstalledSystem): number | undefined {
  const sold = (q.warranties ?? []).filter((w) => w.systemId === system.id && w.start <= q.at).map((w) => w.end);
  const ends = system.warrantyEnd === undefined ? sold : [Date.parse(system.warrantyEnd), ...sold];
  return ends.length ? Math.max(...ends) : undefined;
}

function refuse(code: Extract<Coverage, { ok: false }>['code'], message: string, allowed: string[]): Coverage {
  return { ok: false, code, message, allowed };
}

function dedupe(offers: Offer[]): Offer[] {
  const seen = new Set<string>();
  return offers.filter((o) => !seen.has(o.policyId) && seen.add(o.policyId));
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The ticket is mailed to its requester, so only the customer's own people may be named (issue 13,
 * item 1), or the people of the reseller it buys through (002: the reseller opens the trouble ticket).
 */
export function mayRequest(customer: Customer, email: string, reseller?: Pick<Reseller, 'contacts'>): boolean {
  const address = email.trim().toLowerCase();
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const isContact = (contacts: Customer['contacts']) => contacts.some((c) => c.email.toLowerCase() === address);
  return isContact(customer.contacts) || customer.domains.some((d) => d.toLowerCase() === domain) || isContact(reseller?.contacts ?? []);
}

/**
 * What the records already say, as ticket fields under the keys the presets' required fields use (002:
 * End Customer Name, System type, Host ID, Software Release level; 000: product and installed version).
 * The client's own fields win, so a reseller can say the system was upgraded since.
 */
export function prefilledFields(customer: Customer, system: InstalledSystem | undefined): Record<string, string> {
  if (!system) return { endCustomerName: customer.name };
  return {
    endCustomerName: customer.name,
    systemId: system.id,
    systemType: system.type,
    product: system.product ?? system.type,
    ...(system.hostId ? { hostId: system.hostId } : {}),
    ...(system.release ? { softwareRelease: system.release, productVersion: system.release } : {}),
  };
}
