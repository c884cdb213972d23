import type { AccountStore } from '../accounts/account-store';
import { DomainError } from '../domain/errors';

/**
 * 002's registry check is per system ("the equipment has an active Hardware Warranty"), so a warranty
 * sold for a system must name one the customer has on record: naming any other would sell a warranty
 * that no warranty ticket of the customer could ever be covered by.
 */
export async function assertWarrantySystem(accounts: AccountStore, customerId: string, systemId: string): Promise<void> {
  const customer = await accounts.customer(customerId);
  if (!customer) {
    throw new DomainError(
      'unknown_customer',
      `No customer ${customerId} on record to hold system ${systemId}; create the customer first.`,
      [{ path: 'body.customerId', message: 'unknown customer' }],
    );
  }
  if (!customer.systems.some((s) => s.id === systemId)) {
    throw new DomainError('unknown_system', `Customer ${customerId} has no system "${systemId}".`, [
      { path: 'body.hardware.systemId', message: 'not a system of the customer' },
    ]);
  }
}
