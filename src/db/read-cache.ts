import type { ChangeFeed, ChangedTable } from './change-feed';

/** How long a cached row may be used at most when the feed's connection dies unnoticed (API_CACHE_TTL_MS). */
export const DEFAULT_CACHE_TTL_MS = 5_000;

export interface ReadCacheOptions {
  /** The longest a copy is kept, whatever the feed says: the bound if its connection dies unnoticed. */
  ttlMs: number;
  /** Entries kept at most; the oldest go first. */
  max?: number;
  /** Keys are the rows' ids, so a change drops one entry; otherwise any change in the table drops all. */
  keyedById: boolean;
  now?: () => number;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * Rows read on every request, kept while the change feed is live and dropped when any process changes
 * them. Only found rows are kept (a row created a moment ago is read at once), and a read that a change
 * overtook is not kept. Values are frozen: they are shared by every request that reads them.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly now: () => number;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly table: ChangedTable,
    private readonly opts: ReadCacheOptions,
  ) {
    this.now = opts.now ?? Date.now;
    feed.subscribe(table, (id) => {
      if (id !== undefined && opts.keyedById) this.entries.delete(id);
      else this.entries.clear();
    });
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (!this.feed.live) return load();
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    const epoch = this.feed.epoch(this.table);
    const value = await load();
    if (value === undefined || !this.feed.live || this.feed.epoch(this.table) !== epoch) return value;
    this.entries.delete(key);
    this.entries.set(key, { value: deepFreeze(value), until: this.now() + this.opts.ttlMs });
    const oldest = this.entries.keys().next().value;
    if (this.entries.size > (this.opts.max ?? 10_000) && oldest !== undefined) this.entries.delete(oldest);
    return value;
  }
}
