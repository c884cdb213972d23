import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { AccountStore } from '../../../src/accounts/account-store';
import { presetCatalogStore } from '../../../src/catalog/catalog-store';
import { DomainError } from '../../../src/domain/errors';
import type { Customer } from '../../../src/domain/accounts/index';
import { billableMinutes, hourlyAmount, presetCatalog, releaseBehind } from '../../../src/domain/catalog/index';
import { openTicket } from '../../../src/tickets/open-ticket';
import { presetPolicyStore } from '../../../src/tickets/policy-store';

const customer = (contracts: Customer['contracts']): Customer => ({
  id: 'st-1',
  name: 'Mail host',
  timeZone: 'America/Phoenix',
  vendorId: 'smartertools',
  contacts: [],
  domains: ['host.test'],
  contracts,
  systems: [],
});
const accounts = (c: Customer): AccountStore =>
  ({ customer: async (id: string) => (id === c.id ? c : undefined), reseller: async () => undefined }) as unknown as AccountStore;
/** Refusals come before any workflow starts: a client that is touched fails the test. */
const untouchable = new Proxy(
  {},
  {
    get: () => {
      throw new Error('no workflow may start');
    },
  },
) as Client;

const contractOnly = presetCatalogStore({
  ...presetCatalog,
  ticketProducts: {
    'smartertools-emergency': { ...presetCatalog.ticketProducts['smartertools-emergency']!, requiresActiveContract: true },
  },
});

async function refusal(c: Customer, paymentReference?: string) {
  const err = await openTicket(
    {
      client: untouchable,
      policies: presetPolicyStore(),
      accounts: accounts(c),
      contacts: { teamLeadEmail: 'l@x.test', devTeamEmail: 'd@x.test' },
      catalog: contractOnly,
    },
    {
      customerId: c.id,
      requesterEmail: 'ops@host.test',
      subject: 'Down',
      description: '',
      fields: { product: 'SmarterMail', productVersion: '100.0.9000' },
      policyId: 'smartertools-emergency',
      ...(paymentReference ? { paymentReference } : {}),
    },
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return (err as DomainError).code;
}

describe('a ticket sold per ticket', () => {
  it('is refused without a payment reference, and without a contract when the vendor sells it only under one', async () => {
    expect(await refusal(customer([]))).toBe('payment_reference_required');
    expect(await refusal(customer([]), 'pi_1')).toBe('contract_required');
  });
});

describe('hourly billing and releases', () => {
  it.each([
    [0, 0],
    [1, 30],
    [29, 30],
    [31, 45],
    [45, 45],
    [46, 60],
  ])('%i recorded minutes bill %i (15-minute blocks, 30 minimum)', (recorded, billed) => {
    expect(billableMinutes(recorded, { incrementMinutes: 15, minimumMinutes: 30 })).toBe(billed);
  });

  it('prices minutes at the hourly rate, halves up', () => {
    expect(hourlyAmount(45, 15_000)).toBe(11_250);
    expect(hourlyAmount(1, 12_500)).toBe(208);
  });

  it.each([
    ['5.1', '6.0', true],
    ['6.0', '6.0', false],
    ['6.0.1', '6.0', false],
    ['5.10', '5.9', false],
    [undefined, '6.0', true],
  ])('release %s behind %s: %s', (release, current, behind) => {
    expect(releaseBehind(release, current)).toBe(behind);
  });
});
