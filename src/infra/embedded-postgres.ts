import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The zero-install database for `npm run dev`: PGlite (PostgreSQL compiled to WASM) persisted under the
 * data dir and served on a real socket, so the same postgres.js driver and the same SQL run against it.
 * It serves one connection at a time, so the dev process uses a pool of one.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1' });
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
