import { describe, expect, it } from 'vitest';
import type { ChangeFeed, ChangedTable, ChangeListener } from '../../../src/db/change-feed';
import { ReadCache } from '../../../src/db/read-cache';

/** A feed driven by the test: live or not, and changes announced when the test says so. */
function fakeFeed() {
  const listeners: Array<[ChangedTable, ChangeListener]> = [];
  const epochs: Record<ChangedTable, number> = { customers: 0, api_keys: 0, resellers: 0, coverage: 0 };
  const feed = {
    live: true,
    epoch: (t: ChangedTable) => epochs[t],
    subscribe: (t: ChangedTable, fn: ChangeListener) => void listeners.push([t, fn]),
    changed(t: ChangedTable, id: string | undefined) {
      epochs[t] += 1;
      for (const [table, fn] of listeners) if (table === t) fn(id);
    },
    stop: async () => {},
  };
  return feed satisfies ChangeFeed;
}

/** A row source that counts its reads and answers what the test last stored. */
function rows(initial: Record<string, { name: string } | undefined>) {
  const data = { ...initial };
  let reads = 0;
  return {
    data,
    get reads() {
      return reads;
    },
    load: (id: string) => async () => {
      reads += 1;
      return data[id] ? { ...data[id] } : undefined;
    },
  };
}

describe('ReadCache under a change feed', () => {
  it('answers from memory until the row changes, then reads it again', async () => {
    const feed = fakeFeed();
    const db = rows({ a: { name: 'A' }, b: { name: 'B' } });
    const cache = new ReadCache<{ name: string }>(feed, 'customers', { ttlMs: 60_000, keyedById: true });
    expect(await cache.get('a', db.load('a'))).toEqual({ name: 'A' });
    expect(await cache.get('a', db.load('a'))).toEqual({ name: 'A' });
    expect(await cache.get('b', db.load('b'))).toEqual({ name: 'B' });
    expect(db.reads).toBe(2);
    db.data.a = { name: 'A2' };
    feed.changed('customers', 'a');
    expect(await cache.get('a', db.load('a'))).toEqual({ name: 'A2' });
    // Only the changed row was dropped.
    expect(await cache.get('b', db.load('b'))).toEqual({ name: 'B' });
    expect(db.reads).toBe(3);
  });

  it('drops everything on a change it cannot place (the feed lost track), or in a table not keyed by id', async () => {
    const feed = fakeFeed();
    const db = rows({ a: { name: 'A' }, b: { name: 'B' } });
    const byId = new ReadCache<{ name: string }>(feed, 'customers', { ttlMs: 60_000, keyedById: true });
    const byHash = new ReadCache<{ name: string }>(feed, 'api_keys', { ttlMs: 60_000, keyedById: false });
    await byId.get('a', db.load('a'));
    await byHash.get('b', db.load('b'));
    feed.changed('api_keys', 'some-key-id');
    expect(byHash.size).toBe(0);
    expect(byId.size).toBe(1);
    feed.changed('customers', undefined);
    expect(byId.size).toBe(0);
  });

  it('reads through while the feed is down and keeps nothing then', async () => {
    const feed = fakeFeed();
    feed.live = false;
    const db = rows({ a: { name: 'A' } });
    const cache = new ReadCache<{ name: string }>(feed, 'customers', { ttlMs: 60_000, keyedById: true });
    await cache.get('a', db.load('a'));
    await cache.get('a', db.load('a'));
    expect(db.reads).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('does not keep a read that a change overtook', async () => {
    const feed = fakeFeed();
    const db = rows({ a: { name: 'A' } });
    const cache = new ReadCache<{ name: string }>(feed, 'customers', { ttlMs: 60_000, keyedById: true });
    const slow = cache.get('a', async () => {
      const row = await db.load('a')();
      // Another process commits a change while this read's answer is on its way.
      db.data.a = { name: 'A2' };
      feed.changed('customers', 'a');
      return row;
    });
    expect(await slow).toEqual({ name: 'A' });
    expect(await cache.get('a', db.load('a'))).toEqual({ name: 'A2' });
  });

  it('keeps no miss, so a row created a moment ago is found', async () => {
    const feed = fakeFeed();
    const db = rows({});
    const cache = new ReadCache<{ name: string }>(feed, 'customers', { ttlMs: 60_000, keyedById: true });
    expect(await cache.get('new', db.load('new'))).toBeUndefined();
    db.data.new = { name: 'New' };
    expect(await cache.get('new', db.load('new'))).toEqual({ name: 'New' });
  });

  it('reads again once a copy is older than the TTL, and keeps at most `max` rows', async () => {
    const feed = fakeFeed();
    let now = 1_000;
    const db = rows({ a: { name: 'A' }, b: { name: 'B' }, c: { name: 'C' } });
    const cache = new ReadCache<{ name: string }>(feed, 'customers', { ttlMs: 5_000, keyedById: true, max: 2, now: () => now });
    await cache.get('a', db.load('a'));
    now += 4_999;
    await cache.get('a', db.load('a'));
    expect(db.reads).toBe(1);
    now += 1;
    await cache.get('a', db.load('a'));
    expect(db.reads).toBe(2);
    await cache.get('b', db.load('b'));
    await cache.get('c', db.load('c'));
    expect(cache.size).toBe(2);
  });

  it('hands out frozen copies: one request cannot change what the next one reads', async () => {
    const feed = fakeFeed();
    const db = rows({ a: { name: 'A' } });
    const cache = new ReadCache<{ name: string }>(feed, 'customers', { ttlMs: 60_000, keyedById: true });
    const first = await cache.get('a', db.load('a'));
    expect(() => {
      (first as { name: string }).name = 'changed';
    }).toThrow(TypeError);
  });
});
