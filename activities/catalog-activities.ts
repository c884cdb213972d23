import { dbCatalogStore } from '../src/catalog/catalog-store';
import type { Db } from '../src/db/client';
import { familyPlans, type PinnedCatalog } from '../src/domain/catalog/index';

export function createCatalogActivities(deps: { db: Db }) {
  // No cache: an automatic renewal must see the version published a moment ago, and it runs once a year.
  const store = dbCatalogStore(deps.db, { ttlMs: 0 });
  return {
    /** The current catalog's plans of `planId`'s family, or null when it no longer sells that plan. */
    async currentCatalogFor(args: { planId: string }): Promise<PinnedCatalog | null> {
      const v = await store.current();
      if (!Object.hasOwn(v.catalog.plans, args.planId)) return null;
      return { version: v.version, plans: familyPlans(v.catalog.plans, args.planId) };
    },
  };
}
