import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBootstrapAdminKey, generateApiKey } from '../auth/api-keys';
import type { Config } from '../config';
import type { Db } from '../db/client';

/** The dev stack's admin key: ADMIN_API_KEY, else one generated once and kept beside the dev data. */
export async function devAdminKey(db: Db, config: Pick<Config, 'ADMIN_API_KEY' | 'DATA_DIR'>): Promise<string> {
  if (config.ADMIN_API_KEY) return ensureBootstrapAdminKey(db, config.ADMIN_API_KEY);
  const file = join(config.DATA_DIR, 'admin-api-key');
  const key = existsSync(file) ? readFileSync(file, 'utf8').trim() : generateApiKey();
  mkdirSync(config.DATA_DIR, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return ensureBootstrapAdminKey(db, key);
}
