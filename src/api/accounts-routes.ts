import type { Customer } from '../domain/accounts/index';
import type { AccountStore } from '../accounts/account-store';
import { createCustomer, createReseller, patchCustomer } from '../accounts/account-service';
import type { PolicyStore } from '../tickets/policy-store';
import { reachOpenTickets, type ContractChangeDeps } from '../tickets/contract-change';
import { seatsFollowDevices } from '../billing/seat-sync';
import {
  accountListQuery,
  createCustomerBody,
  createResellerBody,
  customerPageSchema,
  customerSchema,
  patchCustomerBody,
  patchResellerBody,
  resellerPageSchema,
  resellerSchema,
} from './account-schemas';
import { notFound, Problem } from './problem';
import type { Api } from './route';
import { idParam } from './schemas';

export interface AccountRoutesDeps extends ContractChangeDeps {
  accounts: AccountStore;
  policies: PolicyStore;
}

const STAFF = ['staff', 'admin'] as const;
const exists = (what: string) => new Problem(409, 'already_exists', `${what} already exists.`);
const DEFAULT_PAGE = 50;

/**
 * Customers and resellers: who may open tickets and what they bought. Staff keep the records; a
 * customer key reads its own, a reseller key its own end customers (another's answers 404, as a ticket).
 */
export function accountRoutes(api: Api, deps: AccountRoutesDeps): void {
  const customerOwner = async ({ id }: { id: string }) => {
    const c = await deps.accounts.customer(id);
    return c ? { customerId: c.id, resellerId: c.resellerId ?? null } : undefined;
  };

  api.route({
    method: 'post',
    path: '/v1/customers',
    tag: 'Accounts',
    summary: 'Create a customer',
    description: 'With its contacts, mail domains, installed systems and direct contracts; the contract decides every ticket’s policy.',
    roles: STAFF,
    body: createCustomerBody,
    responses: { 201: { description: 'Created.', schema: customerSchema } },
    async handler({ body }) {
      const { resellerId, ...rest } = body;
      const created = await createCustomer(deps, { ...rest, ...(resellerId ? { resellerId } : {}) });
      if (!created) throw exists(`Customer ${body.id}`);
      return { status: 201, body: created, headers: { Location: `/v1/customers/${created.id}` } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/customers',
    tag: 'Accounts',
    summary: 'List customers',
    description: 'By id; a reseller key lists its own end customers.',
    roles: ['reseller', 'staff', 'admin'],
    query: accountListQuery,
    responses: { 200: { description: 'One page of customers.', schema: customerPageSchema } },
    async handler({ principal, query }) {
      const page = await deps.accounts.customers({
        ...(principal.role === 'reseller' ? { resellerId: principal.tenantId ?? '' } : {}),
        ...(query.cursor ? { after: query.cursor } : {}),
        limit: query.limit ?? DEFAULT_PAGE,
      });
      return { status: 200, body: page };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/customers/:id',
    tag: 'Accounts',
    summary: 'Read a customer',
    roles: ['customer', 'reseller', 'staff', 'admin'],
    params: idParam,
    owner: customerOwner,
    responses: { 200: { description: 'The customer.', schema: customerSchema } },
    async handler({ params: { id } }) {
      const c = await deps.accounts.customer(id);
      if (!c) throw notFound(`Customer ${id}`);
      return { status: 200, body: c };
    },
  });

  api.route({
    method: 'patch',
    path: '/v1/customers/:id',
    tag: 'Accounts',
    summary: 'Change a customer',
    description:
      'Fields sent replace the stored ones (a list is replaced whole); the vendor cannot change. A change of contracts moves each open ticket whose contract now gives another policy onto it, used time kept; `Tickets-Moved` counts them. Devices that now count more users than a running per-user subscription has seats add the difference to it, prorated to the term end (004); `Seats-Added` counts them.',
    roles: STAFF,
    params: idParam,
    owner: customerOwner,
    body: patchCustomerBody,
    responses: { 200: { description: 'The changed customer.', schema: customerSchema } },
    async handler({ params: { id }, body }) {
      const changed: Customer | undefined = await patchCustomer(deps, id, body);
      if (!changed) throw notFound(`Customer ${id}`);
      const moved = body.contracts || body.systems ? await reachOpenTickets(deps, changed) : [];
      const seats = body.devices ? await seatsFollowDevices(deps, id, changed.devices ?? []) : [];
      const headers = { 'Tickets-Moved': String(moved.length), 'Seats-Added': String(seats.reduce((n, s) => n + s.added, 0)) };
      return { status: 200, body: changed, headers };
    },
  });

  const resellerOwner = async ({ id }: { id: string }) =>
    (await deps.accounts.reseller(id)) ? { customerId: '', resellerId: id } : undefined;

  api.route({
    method: 'post',
    path: '/v1/resellers',
    tag: 'Accounts',
    summary: 'Create a reseller',
    roles: STAFF,
    body: createResellerBody,
    responses: { 201: { description: 'Created.', schema: resellerSchema } },
    async handler({ body }) {
      const created = await createReseller(deps, body);
      if (!created) throw exists(`Reseller ${body.id}`);
      return { status: 201, body: created, headers: { Location: `/v1/resellers/${created.id}` } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/resellers',
    tag: 'Accounts',
    summary: 'List resellers',
    roles: STAFF,
    query: accountListQuery,
    responses: { 200: { description: 'One page of resellers.', schema: resellerPageSchema } },
    async handler({ query }) {
      const page = await deps.accounts.resellers({ ...(query.cursor ? { after: query.cursor } : {}), limit: query.limit ?? DEFAULT_PAGE });
      return { status: 200, body: page };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/resellers/:id',
    tag: 'Accounts',
    summary: 'Read a reseller',
    roles: ['reseller', 'staff', 'admin'],
    params: idParam,
    owner: resellerOwner,
    responses: { 200: { description: 'The reseller.', schema: resellerSchema } },
    async handler({ params: { id } }) {
      const r = await deps.accounts.reseller(id);
      if (!r) throw notFound(`Reseller ${id}`);
      return { status: 200, body: r };
    },
  });

  api.route({
    method: 'patch',
    path: '/v1/resellers/:id',
    tag: 'Accounts',
    summary: 'Change a reseller',
    roles: STAFF,
    params: idParam,
    owner: resellerOwner,
    body: patchResellerBody,
    responses: { 200: { description: 'The changed reseller.', schema: resellerSchema } },
    async handler({ params: { id }, body }) {
      const changed = await deps.accounts.updateReseller(id, (r) => ({ ...r, ...body }));
      if (!changed) throw notFound(`Reseller ${id}`);
      return { status: 200, body: changed };
    },
  });
}
