import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { ChangeFeed, ChangedTable } from '../../src/db/change-feed';
import { authed, startStack, testApp, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * API keys and customers served from memory under the change feed (issue 16 item 5). The copies live a
 * minute here, so whatever a test sees change within it was told by the feed, not by the copy's age.
 */
let stack: Stack;
/** Another process's connection: its writes reach this API only as notifications. */
let other: postgres.Sql;
const run = randomUUID().slice(0, 6);

beforeAll(async () => {
  stack = await startStack({ app: { cacheTtlMs: 60_000 } });
  other = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
  await waitFor(async () => (stack.changes.live ? true : undefined), 10_000);
}, 60_000);

afterAll(async () => {
  await other.end();
  await stack.stop();
});

const openFor = (customerId: string, policyId?: string) =>
  stack.http.post('/v1/tickets').send({
    customerId,
    requesterEmail: 'ann@acme.test',
    subject: 'Phones down',
    description: 'Since 9:00.',
    ...(policyId ? { policyId } : {}),
  });

/**
 * Another process moves the customer onto mailup-premium; resolves once a ticket opened here gets it
 * (the copies live a minute, so only the feed can make that happen within the wait).
 */
async function premiumElsewhere(customerId: string): Promise<void> {
  const contracts = [{ id: 'k9', policyId: 'mailup-premium', validFrom: '2000-01-01T00:00:00Z' }];
  await other`update customers set contracts = ${other.json(contracts)} where id = ${customerId}`;
  await waitFor(async () => ((await openFor(customerId).expect(201)).body.policyId === 'mailup-premium' ? true : undefined), 5_000);
}

describe('API keys', () => {
  it('a key revoked by another process stops working as soon as its notification arrives', async () => {
    const key = await stack.key('staff');
    const http = authed(stack.app, key);
    await http.get('/v1/policies').expect(200);
    await http.get('/v1/policies').expect(200);
    const [row] = await other`update api_keys set revoked = true where hash = encode(sha256(${key}::bytea), 'hex') returning id`;
    expect(row).toBeDefined();
    await waitFor(async () => ((await http.get('/v1/policies')).status === 401 ? true : undefined), 5_000);
  });

  it('a key revoked through this API is refused on its very next request', async () => {
    const key = await stack.key('staff');
    const http = authed(stack.app, key);
    await http.get('/v1/policies').expect(200);
    const id = (await stack.http.get('/v1/api-keys').expect(200)).body.items.at(-1).id;
    await stack.http.delete(`/v1/api-keys/${id}`).expect(200);
    expect((await http.get('/v1/policies')).status).toBe(401);
  });
});

describe('customers', () => {
  it('a contract changed by another process decides the next ticket', async () => {
    const customerId = await stack.customer({ id: `cache-${run}-a`, policies: ['mailup-standard'] });
    expect((await openFor(customerId).expect(201)).body.policyId).toBe('mailup-standard');
    await premiumElsewhere(customerId);
  });

  it('a contract changed through this API decides the very next ticket', async () => {
    const customerId = await stack.customer({ id: `cache-${run}-b`, policies: ['mailup-standard'] });
    expect((await openFor(customerId).expect(201)).body.policyId).toBe('mailup-standard');
    const contracts = [{ id: 'k9', policyId: 'mailup-premium', validFrom: '2000-01-01T00:00:00Z' }];
    await stack.http.patch(`/v1/customers/${customerId}`).send({ contracts }).expect(200);
    expect((await openFor(customerId).expect(201)).body.policyId).toBe('mailup-premium');
  });
});

describe('resellers', () => {
  it("a reseller contact another process removes can no longer open its customers' tickets", async () => {
    const resellerId = `r-${run}-contacts`;
    await stack.http
      .post('/v1/resellers')
      .send({ id: resellerId, name: 'Reseller', vendorId: 'mailup', contacts: [{ email: 'ops@reseller.test' }] })
      .expect(201);
    const customerId = await stack.customer({ id: `cache-${run}-r`, resellerId, vendorId: 'mailup', policies: ['mailup-standard'] });
    const open = () =>
      stack.http.post('/v1/tickets').send({ customerId, requesterEmail: 'ops@reseller.test', subject: 'Down', description: 'Down.' });
    await open().expect(201);
    await other`update resellers set contacts = '[]'::jsonb where id = ${resellerId}`;
    await waitFor(async () => ((await open()).body.code === 'requester_not_allowed' ? true : undefined), 5_000);
  });
});

describe('coverage', () => {
  /** An eMetrotel customer on a 002 Assurance subscription, as its workflow wrote it to the read model. */
  async function subscribed(suffix: string): Promise<{ customerId: string; open: (http?: typeof stack.http) => Promise<number> }> {
    const customerId = await stack.customer({
      id: `cache-${run}-${suffix}`,
      vendorId: 'emetrotel',
      systems: [{ id: 's', type: 'UCX250', hostId: 'H', release: '6.0' }],
    });
    const id = `sub-${run}-${suffix}`;
    const sub = { id, customerId, contactEmail: 'it@acme.test', planId: 'assurance-standard', timeZone: 'America/Chicago' };
    await stack.http.post('/v1/subscriptions').send(sub).expect(201);
    await waitFor(async () => ((await other`select 1 from entitlements where subscription_id = ${id}`).length ? true : undefined));
    const open = async (http = stack.http) => {
      const body = {
        customerId,
        requesterEmail: 'it@acme.test',
        subject: 'Calls drop',
        description: 'Since 9:00.',
        systemId: 's',
        fields: { callScenario: 'Calls drop after thirty seconds' },
      };
      const res = await http.post('/v1/tickets').send(body);
      if (res.status === 201) expect(res.body.coveredBy).toEqual({ kind: 'subscription', id });
      else expect(res.body.code).toBe('not_entitled');
      return res.status;
    };
    return { customerId, open };
  }
  /**
   * Another process ends the customer's entitlement periods. The read model's version is raised too, so
   * the subscription workflow's own write for the ticket just claimed cannot put the periods back.
   */
  const lapseElsewhere = (customerId: string) =>
    other.begin(async (tx) => {
      await tx`update subscriptions set version = 1000000 where customer_id = ${customerId}`;
      await tx`update entitlements set valid_to = now() - interval '1 second' where customer_id = ${customerId}`;
    });

  it('a subscription whose term another process ends stops covering the next ticket', async () => {
    const { customerId, open } = await subscribed('s1');
    expect(await open()).toBe(201);
    await lapseElsewhere(customerId);
    await waitFor(async () => ((await open()) === 409 ? true : undefined), 5_000);
  });

  it('is served from memory: a process that hears no change keeps the coverage it read', async () => {
    const http = authed(deafApp(), await stack.key('admin'));
    const { customerId, open } = await subscribed('s2');
    expect(await open(http)).toBe(201);
    await lapseElsewhere(customerId);
    expect(await open(http)).toBe(201);
    // The process that hears the feed, reading the same rows, refuses it.
    expect(await open()).toBe(409);
  });
});

/**
 * A feed that is live but hears no other process, so what a test sees change was applied by this
 * process itself when it wrote (the request that changes a contract may read it again at once).
 */
function deafFeed(): ChangeFeed {
  const listeners: Array<[ChangedTable, (id: string | undefined) => void]> = [];
  const epochs = new Map<ChangedTable, number>();
  return {
    live: true,
    epoch: (t) => epochs.get(t) ?? 0,
    subscribe: (t, fn) => void listeners.push([t, fn]),
    changed(t, id) {
      epochs.set(t, (epochs.get(t) ?? 0) + 1);
      for (const [table, fn] of listeners) if (table === t) fn(id);
    },
    stop: async () => {},
  };
}

const deafApp = () => testApp(stack, { changes: deafFeed(), cacheTtlMs: 60_000 });

describe('what this process writes, it reads back at once', () => {
  it('a contract changed through the API decides the next ticket', async () => {
    const app = deafApp();
    const http = authed(app, await stack.key('admin'));
    const customerId = await stack.customer({ id: `cache-${run}-d`, policies: ['mailup-standard'] });
    const open = () =>
      http.post('/v1/tickets').send({ customerId, requesterEmail: 'ann@acme.test', subject: 'Down', description: 'Down.' });
    expect((await open().expect(201)).body.policyId).toBe('mailup-standard');
    const contracts = [{ id: 'k9', policyId: 'mailup-premium', validFrom: '2000-01-01T00:00:00Z' }];
    await http.patch(`/v1/customers/${customerId}`).send({ contracts }).expect(200);
    expect((await open().expect(201)).body.policyId).toBe('mailup-premium');
  });

  it('002: the purchase order that renews an expired contract opens the ticket on it, though the refusal read the old one', async () => {
    const app = deafApp();
    const reseller = `r-${run}-cache`;
    const expiredOn = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const customer = await stack.customer({
      vendorId: 'emetrotel',
      resellerId: reseller,
      systems: [{ id: 'ucx-old', type: 'UCX250', hostId: 'H-9', release: '5.1' }],
      contracts: [{ id: 'std-old', policyId: 'emetrotel-standard', validFrom: '2024-01-01T00:00:00Z', validTo: expiredOn }],
    });
    const key = authed(app, await stack.key('reseller', reseller));
    const refused = await key
      .post('/v1/tickets')
      .send({
        customerId: customer,
        requesterEmail: 'it@acme.test',
        subject: 'Calls drop',
        systemId: 'ucx-old',
        fields: { callScenario: 'Inbound calls drop after one ring' },
      })
      .expect(409);
    expect(refused.body.code).toBe('not_entitled');
    const accepted = await key.post(`/v1/quotes/${refused.body.quote.id}/accept`).send({ purchaseOrder: 'PO-1' }).expect(200);
    expect(accepted.body.ticket).toMatchObject({ policyId: 'emetrotel-standard', coveredBy: { kind: 'contract' } });
  });
});

describe('the feed', () => {
  it('going down sends every read to PostgreSQL until it listens again, and drops what it kept', async () => {
    const customerId = await stack.customer({ id: `cache-${run}-c`, policies: ['mailup-standard'] });
    await openFor(customerId).expect(201);
    const feed: ChangeFeed = stack.changes;
    // Every feed listening on this database loses its connection, as on a failover.
    await other`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%' and pid <> pg_backend_pid()`;
    await waitFor(async () => (feed.live ? undefined : true), 5_000);
    await waitFor(async () => (feed.live ? true : undefined), 10_000);
    await premiumElsewhere(customerId);
  });
});
