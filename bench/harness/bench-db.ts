import postgres from 'postgres';
import { createApiKey } from '../../src/auth/api-keys';
import { connectDb, type Db, type DbHandle } from '../../src/db/client';
import { migrateDb } from '../../src/db/migrate';

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/supportflow_bench';

/**
 * A database of our own, emptied and migrated each run, so counts need no filtering and the lead's or
 * the test suite's databases are never touched.
 */
export async function freshDatabase(url: string): Promise<DbHandle> {
  const dbName = new URL(url).pathname.slice(1).replace(/"/g, '');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${dbName}" with (force)`);
    await sql.unsafe(`create database "${dbName}"`);
  } finally {
    await sql.end();
  }
  const handle = connectDb(url, { max: 10 });
  await migrateDb(handle);
  return handle;
}

/** A staff key, as an admin would issue one, for the harness's API calls. */
export async function staffApiKey(db: Db): Promise<string> {
  return (await createApiKey(db, { role: 'staff', label: 'benchmark harness' })).key;
}
