import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { DbHandle } from './client';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));
const MIGRATION_LOCK = 724_311;

/**
 * Applies drizzle's migrations at start. With several processes (API and worker in compose) a session
 * advisory lock on a reserved connection makes them take turns; a pool of one (embedded PGlite) needs none.
 */
export async function migrateDb(handle: DbHandle, opts: { lock?: boolean } = {}): Promise<void> {
  if (!opts.lock) {
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  const conn = await handle.sql.reserve();
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    conn.release();
  }
}
