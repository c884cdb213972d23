import { homedir } from 'node:os';
import { join } from 'node:path';

/** Binaries are cached outside the repo so that every fresh clone on this machine reuses them. */
export function cacheDir(): string {
  return process.env.SUPPORTFLOW_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'supportflow');
}
