import { createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiKeys } from '../db/schema';
import type { Principal, Role } from './principal';

export const BOOTSTRAP_ADMIN_KEY_ID = 'key_bootstrap_admin';

/** Only the hash is stored, so a leaked table cannot be replayed as credentials. */
export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

/** 32 random bytes; the prefix makes a leaked key recognisable to secret scanners. */
export function generateApiKey(): string {
  return `sf_${randomBytes(32).toString('base64url')}`;
}

export interface NewApiKey {
  role: Role;
  tenantId?: string | null;
  label?: string;
}

export interface StoredApiKey {
  id: string;
  role: Role;
  tenantId: string | null;
  label: string;
  revoked: boolean;
  createdAt: string;
}

const present = (row: typeof apiKeys.$inferSelect): StoredApiKey => ({
  id: row.id,
  role: row.role as Role,
  tenantId: row.tenantId,
  label: row.label,
  revoked: row.revoked,
  createdAt: row.createdAt.toISOString(),
});

/** Creates a key and returns its plaintext: the only time anyone sees it. */
export async function createApiKey(db: Db, req: NewApiKey): Promise<StoredApiKey & { key: string }> {
  const key = generateApiKey();
  const id = `key_${randomBytes(8).toString('hex')}`;
  const [row] = await db
    .insert(apiKeys)
    .values({ id, hash: hashApiKey(key), role: req.role, tenantId: req.tenantId ?? null, label: req.label ?? '' })
    .returning();
  if (!row) throw new Error('api key insert returned nothing');
  return { ...present(row), key };
}

export async function listApiKeys(db: Db): Promise<StoredApiKey[]> {
  const rows = await db.select().from(apiKeys).orderBy(apiKeys.createdAt);
  return rows.map(present);
}

/** Revoked keys stay as rows so an audit can still tell who a key id was. */
export async function revokeApiKey(db: Db, id: string): Promise<StoredApiKey | undefined> {
  const [row] = await db.update(apiKeys).set({ revoked: true }).where(eq(apiKeys.id, id)).returning();
  return row ? present(row) : undefined;
}

// Built once per database handle: every request authenticates, and building a query costs more than running it.
const principalQueries = new WeakMap<Db, ReturnType<typeof principalQuery>>();

function principalQuery(db: Db) {
  return db
    .select({ id: apiKeys.id, role: apiKeys.role, tenantId: apiKeys.tenantId })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, sql.placeholder('hash')), eq(apiKeys.revoked, false)))
    .limit(1)
    .prepare('find_principal');
}

export function findPrincipal(db: Db, plaintext: string): Promise<Principal | undefined> {
  return findPrincipalByHash(db, hashApiKey(plaintext));
}

export async function findPrincipalByHash(db: Db, hash: string): Promise<Principal | undefined> {
  let query = principalQueries.get(db);
  if (!query) {
    query = principalQuery(db);
    principalQueries.set(db, query);
  }
  const [row] = await query.execute({ hash });
  return row ? { keyId: row.id, role: row.role as Role, tenantId: row.tenantId } : undefined;
}

/**
 * The first admin key, so a fresh install can create the others: the given plaintext (ADMIN_API_KEY) or
 * a new random one. Either way it replaces the previous bootstrap key, so rotating the env var rotates it.
 */
export async function ensureBootstrapAdminKey(db: Db, plaintext?: string): Promise<string> {
  const key = plaintext && plaintext.length > 0 ? plaintext : generateApiKey();
  const values = {
    id: BOOTSTRAP_ADMIN_KEY_ID,
    hash: hashApiKey(key),
    role: 'admin',
    tenantId: null,
    label: 'bootstrap admin',
    revoked: false,
  };
  await db
    .insert(apiKeys)
    .values(values)
    .onConflictDoUpdate({ target: apiKeys.id, set: { hash: values.hash, role: 'admin', tenantId: null, revoked: false } });
  return key;
}

/** A console session names its key by id; a key revoked since sign-in ends the session on its next request. */
export async function findPrincipalById(db: Db, id: string): Promise<Principal | undefined> {
  const [row] = await db
    .select({ id: apiKeys.id, role: apiKeys.role, tenantId: apiKeys.tenantId })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.revoked, false)))
    .limit(1);
  return row ? { keyId: row.id, role: row.role as Role, tenantId: row.tenantId } : undefined;
}
