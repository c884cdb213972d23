import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { catalogVersions } from '../db/schema';
import { presetCatalog, type Catalog, type CatalogVersion } from '../domain/catalog/index';

export interface CatalogStore {
  /** The version new sales, renewals and ticket purchases use. */
  current(): Promise<CatalogVersion>;
  version(n: number): Promise<CatalogVersion | undefined>;
  /**
   * Stores `change(latest stored)` as the next version, read past the cache; `expected` guards against a
   * concurrent edit. `change` may check what it builds (and throw): it runs again on each re-read.
   */
  publish(
    change: (c: Catalog) => Catalog | Promise<Catalog>,
    by: string,
    note: string,
    expected?: number,
  ): Promise<CatalogVersion | 'conflict'>;
}

const PRESET_CREATED = '2026-01-01T00:00:00.000Z';

export function presetCatalogStore(catalog: Catalog = presetCatalog): CatalogStore {
  const v: CatalogVersion = { version: 1, catalog, createdAt: PRESET_CREATED, createdBy: 'preset', note: 'seed presets' };
  return {
    current: async () => v,
    version: async (n) => (n === 1 ? v : undefined),
    publish: async () => 'conflict',
  };
}

type Row = typeof catalogVersions.$inferSelect;
const toVersion = (r: Row): CatalogVersion => ({
  version: r.version,
  catalog: r.document as unknown as Catalog,
  createdAt: r.createdAt.toISOString(),
  createdBy: r.createdBy,
  note: r.note,
});

const PRESET_AUTHOR = 'preset';

/** A document as JSON with its keys sorted: jsonb keeps no key order, and drops what is undefined. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Versions in PostgreSQL; version 1 is the preset, written on first read. The current version is
 * cached for a few seconds: a ticket opening reads it, and a price change need not be instant
 * across processes (the process that published sees it at once).
 *
 * A release whose presets differ from the stored ones (a plan, a feature or a licence added) stores them
 * as the next version while nobody has published over them: otherwise a deployment would never see
 * them. Once an admin has published a version, the catalog is theirs and stays as they left it; they
 * adopt a new preset plan with PUT /v1/plans. Subscriptions keep the version they were sold on.
 */
export function dbCatalogStore(db: Db, opts: { ttlMs?: number; now?: () => number; preset?: Catalog } = {}): CatalogStore {
  const ttl = opts.ttlMs ?? 5_000;
  const now = opts.now ?? Date.now;
  const preset = opts.preset ?? presetCatalog;
  const presetText = canonical(preset);
  let cached: { v: CatalogVersion; until: number } | undefined;

  async function store(version: number, note: string): Promise<void> {
    await db
      .insert(catalogVersions)
      .values({ version, document: preset as unknown as Record<string, unknown>, createdBy: PRESET_AUTHOR, note })
      .onConflictDoNothing();
  }

  async function latest(upgrade = true): Promise<CatalogVersion> {
    const [row] = await db.select().from(catalogVersions).orderBy(desc(catalogVersions.version)).limit(1);
    if (!row) {
      await store(1, 'seed presets');
      return latest(false);
    }
    if (upgrade && row.createdBy === PRESET_AUTHOR && canonical(row.document) !== presetText) {
      await store(row.version + 1, 'seed presets, as updated by this release');
      return latest(false);
    }
    return toVersion(row);
  }

  return {
    async current() {
      if (cached && cached.until > now()) return cached.v;
      const v = await latest();
      cached = { v, until: now() + ttl };
      return v;
    },
    async version(n) {
      // Version 1 exists as soon as anyone asks, as it does for `current()`.
      if (n === 1) await latest();
      const [row] = await db.select().from(catalogVersions).where(eq(catalogVersions.version, n));
      return row ? toVersion(row) : undefined;
    },
    async publish(change, by, note, expected) {
      // Without `expected` the change applies to whatever is latest: another process taking the next
      // version number at the same moment only means reading again and applying it to theirs.
      for (let attempt = 0; attempt < 10; attempt++) {
        const base = await latest();
        if (expected !== undefined && expected !== base.version) return 'conflict';
        const next = await change(base.catalog);
        const inserted = await db
          .insert(catalogVersions)
          .values({ version: base.version + 1, document: next as unknown as Record<string, unknown>, createdBy: by, note })
          .onConflictDoNothing()
          .returning();
        const row = inserted[0];
        if (row) {
          const v = toVersion(row);
          cached = { v, until: now() + ttl };
          return v;
        }
        if (expected !== undefined) return 'conflict';
      }
      return 'conflict';
    },
  };
}
