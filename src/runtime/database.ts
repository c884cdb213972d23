import type { Config } from '../config';
import { connectDb, type DbHandle } from '../db/client';
import { migrateDb } from '../db/migrate';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';

export interface Database {
  handle: DbHandle;
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_PORT = 54329;

/** `DATABASE_URL` picks a real server; without it the dev stack runs on embedded PGlite. */
export async function openDatabase(config: Config, opts: { allowEmbedded: boolean }): Promise<Database> {
  if (config.DATABASE_URL) {
    const handle = connectDb(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
    await migrateDb(handle, { lock: true });
    return { handle, url: config.DATABASE_URL, embedded: false, stop: () => handle.close() };
  }
  if (!opts.allowEmbedded) throw new Error('DATABASE_URL is required outside `npm run dev`');
  const pg = await startEmbeddedPostgres(config.DATA_DIR, EMBEDDED_PORT);
  const handle = connectDb(pg.url, { max: 1 });
  await migrateDb(handle);
  return {
    handle,
    url: pg.url,
    embedded: true,
    async stop() {
      await handle.close();
      await pg.stop();
    },
  };
}
