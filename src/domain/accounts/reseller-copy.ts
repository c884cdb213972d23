import type { Reseller } from './types';

/**
 * Who of the reseller is copied on an end user's ticket (002: "provides support to End Users through and
 * in collaboration with the End User's Reseller"): its contacts, unless one of them asked, in which case
 * the reseller is the requester and already on the thread. Whether they are copied is the policy's
 * `copyReseller`, read when each mail is written.
 */
export function resellerCopy(reseller: Pick<Reseller, 'contacts'> | undefined, requesterEmail: string): string[] {
  if (!reseller) return [];
  const requester = requesterEmail.trim().toLowerCase();
  const addresses = [...new Set(reseller.contacts.map((c) => c.email.trim().toLowerCase()))];
  return addresses.includes(requester) ? [] : addresses;
}

/** Whether `email` is one of the reseller's people (a mail from them answers its end users' tickets, 002). */
export function isResellerContact(reseller: Pick<Reseller, 'contacts'> | undefined, email: string): boolean {
  const address = email.trim().toLowerCase();
  return !!reseller?.contacts.some((c) => c.email.trim().toLowerCase() === address);
}
