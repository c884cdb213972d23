import type { Contract, Customer, InstalledSystem, Reseller } from '../domain/accounts/index';
import { getVendorPreset } from '../domain/accounts/index';
import { DomainError, type FieldError } from '../domain/errors';
import type { PolicyStore } from '../tickets/policy-store';
import type { AccountStore } from './account-store';

export interface AccountDeps {
  accounts: AccountStore;
  policies: PolicyStore;
}

const iso = (s: string) => new Date(s).toISOString();

function normalised(c: Customer): Customer {
  return {
    ...c,
    domains: [...new Set(c.domains.map((d) => d.toLowerCase()))],
    contracts: c.contracts.map((k): Contract => ({ ...k, validFrom: iso(k.validFrom), ...(k.validTo ? { validTo: iso(k.validTo) } : {}) })),
    systems: c.systems.map((s): InstalledSystem => (s.warrantyEnd ? { ...s, warrantyEnd: iso(s.warrantyEnd) } : s)),
  };
}

/**
 * A customer record is checked whole before it is stored, so a ticket never meets a contract on a
 * policy that does not exist or a system that is not there: every refusal names the field.
 */
async function checkCustomer(deps: AccountDeps, c: Customer): Promise<void> {
  if (!getVendorPreset(c.vendorId)) {
    throw new DomainError('unknown_vendor', `No vendor "${c.vendorId}".`, [{ path: 'body.vendorId', message: 'unknown vendor' }]);
  }
  if (c.resellerId !== undefined) {
    const reseller = await deps.accounts.reseller(c.resellerId);
    if (!reseller || reseller.vendorId !== c.vendorId) {
      throw new DomainError('unknown_reseller', `No reseller "${c.resellerId}" selling for ${c.vendorId}.`, [
        { path: 'body.resellerId', message: 'unknown reseller' },
      ]);
    }
  }
  const errors: FieldError[] = [];
  const dup = (items: Array<{ id: string }>, path: string) =>
    items.forEach((x, i) => {
      if (items.findIndex((y) => y.id === x.id) !== i) errors.push({ path: `body.${path}.${i}.id`, message: 'duplicate id' });
    });
  dup(c.systems, 'systems');
  dup(c.contracts, 'contracts');
  dup(c.devices ?? [], 'devices');
  const systemIds = new Set(c.systems.map((s) => s.id));
  for (const [i, k] of c.contracts.entries()) {
    if (k.validTo !== undefined && Date.parse(k.validTo) <= Date.parse(k.validFrom)) {
      errors.push({ path: `body.contracts.${i}.validTo`, message: 'validTo must be after validFrom' });
    }
    if (!(await deps.policies.get(k.policyId))) errors.push({ path: `body.contracts.${i}.policyId`, message: 'unknown policy' });
    for (const [j, s] of (k.systemIds ?? []).entries()) {
      if (!systemIds.has(s)) errors.push({ path: `body.contracts.${i}.systemIds.${j}`, message: 'not one of the customer’s systems' });
    }
  }
  if (errors.length) throw new DomainError('invalid_account', `The customer record for ${c.id} is inconsistent.`, errors);
}

export async function createCustomer(deps: AccountDeps, c: Customer): Promise<Customer | undefined> {
  const record = normalised(c);
  await checkCustomer(deps, record);
  return (await deps.accounts.createCustomer(record)) ? record : undefined;
}

export type CustomerPatch = Partial<Omit<Customer, 'id' | 'vendorId' | 'resellerId'>> & { resellerId?: string | null };

export async function patchCustomer(deps: AccountDeps, id: string, patch: CustomerPatch): Promise<Customer | undefined> {
  const current = await deps.accounts.customer(id);
  if (!current) return undefined;
  const merge = (c: Customer): Customer => {
    const { resellerId, ...rest } = patch;
    const next: Customer = { ...c, ...rest };
    if (resellerId === null) delete next.resellerId;
    else if (resellerId !== undefined) next.resellerId = resellerId;
    return normalised(next);
  };
  // Checked on the current record first (references need reads), then applied under the row lock.
  await checkCustomer(deps, merge(current));
  return deps.accounts.updateCustomer(id, merge);
}

export async function createReseller(deps: AccountDeps, r: Reseller): Promise<Reseller | undefined> {
  if (!getVendorPreset(r.vendorId)) {
    throw new DomainError('unknown_vendor', `No vendor "${r.vendorId}".`, [{ path: 'body.vendorId', message: 'unknown vendor' }]);
  }
  return (await deps.accounts.createReseller(r)) ? r : undefined;
}
