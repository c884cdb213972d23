import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../bench/harness/bench-db';
import { dbCatalogStore } from '../../src/catalog/catalog-store';
import type { DbHandle } from '../../src/db/client';
import { catalogVersions } from '../../src/db/schema';
import { presetCatalog, type Catalog } from '../../src/domain/catalog/index';

/** The presets as an earlier release shipped them: without the plan this one added. */
const { 'per-user-support-app': _added, ...earlierPlans } = presetCatalog.plans;
const earlier: Catalog = { ...presetCatalog, plans: earlierPlans };

let handle: DbHandle;
const versions = async () =>
  (await handle.db.select().from(catalogVersions).orderBy(asc(catalogVersions.version))).map((r) => ({
    version: r.version,
    createdBy: r.createdBy,
    plans: Object.keys((r.document as unknown as Catalog).plans).length,
  }));

beforeAll(async () => {
  // A database of its own: the suite's shared one has its catalog versions used by other files.
  const url = new URL(inject('databaseUrl'));
  url.pathname = `${url.pathname}_catalog_presets`;
  handle = await freshDatabase(url.toString());
});
afterAll(async () => {
  await handle?.close();
});

describe('preset catalog across releases', () => {
  it('stores a release’s changed presets as the next version, once, until an admin publishes; then leaves the catalog to them', async () => {
    const plans = Object.keys(presetCatalog.plans).length;
    // A deployment that first ran the earlier release stored its presets as version 1.
    expect((await dbCatalogStore(handle.db, { ttlMs: 0, preset: earlier }).current()).version).toBe(1);

    // This release reads them: its presets become version 2 for new sales and renewals.
    const store = dbCatalogStore(handle.db, { ttlMs: 0 });
    const current = await store.current();
    expect(current.version).toBe(2);
    expect(current.catalog.plans['per-user-support-app']?.thirdPartyLicenses?.length).toBe(2);
    // Read again, by this process or another one of the same release: nothing more is stored.
    await store.current();
    await dbCatalogStore(handle.db, { ttlMs: 0 }).current();
    // Version 1 stays what it was: subscriptions sold on it keep their terms.
    expect((await store.version(1))?.catalog.plans['per-user-support-app']).toBeUndefined();

    // An admin publishes (a price change): from then on a release with other presets leaves it alone.
    const published = await store.publish((c) => ({ ...c, assumptions: [...c.assumptions, 'admin edit'] }), 'admin', 'price change');
    expect(published).toMatchObject({ version: 3 });
    expect((await dbCatalogStore(handle.db, { ttlMs: 0, preset: earlier }).current()).version).toBe(3);
    expect(await versions()).toEqual([
      { version: 1, createdBy: 'preset', plans: plans - 1 },
      { version: 2, createdBy: 'preset', plans },
      { version: 3, createdBy: 'admin', plans },
    ]);
  });
});
