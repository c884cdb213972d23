import { createHash } from 'node:crypto';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { Problem } from './problem';
import type { Reply } from './reply';

export type Claim = { kind: 'owner' } | { kind: 'replay'; reply: Reply };

export interface IdempotencyStore {
  /** Becomes the one request running this key, or returns the finished one's reply. */
  claim(keyId: string, key: string, hash: string): Promise<Claim>;
  complete(keyId: string, key: string, reply: Reply): Promise<void>;
  release(keyId: string, key: string): Promise<void>;
}

/** Key order does not change what a body means, so it must not change its hash. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method, path, canonical(body ?? null)]))
    .digest('hex');
}

/** Stable ids for what a keyed request creates: the same (API key, Idempotency-Key) always names the same thing. */
export function derivedId(prefix: string, idem: { keyId: string; key: string }, scope = ''): string {
  const h = createHash('sha256').update(`${idem.keyId}\n${idem.key}\n${scope}`).digest('hex');
  return `${prefix}${h.slice(0, 12).toUpperCase()}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Insert-first: the primary key (API key id, Idempotency-Key) is the lock, so of concurrent duplicates
 * exactly one inserts and runs; the others poll for its reply. A claim whose reply was never stored (a
 * crashed process, or PostgreSQL down at that moment) is taken over after `staleMs`; what the request
 * created carries an id derived from the key, so the taker-over finds it instead of creating it again.
 */
export function dbIdempotencyStore(db: Db, opts: { waitMs?: number; staleMs?: number } = {}): IdempotencyStore {
  const waitMs = opts.waitMs ?? 10_000;
  const staleMs = opts.staleMs ?? 60_000;
  const staleInterval = `${staleMs} milliseconds`;
  const where = (keyId: string, key: string) => and(eq(idempotencyKeys.keyId, keyId), eq(idempotencyKeys.idempotencyKey, key));
  return {
    async claim(keyId, key, hash) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const inserted = await db
          .insert(idempotencyKeys)
          .values({ keyId, idempotencyKey: key, requestHash: hash })
          .onConflictDoNothing()
          .returning({ keyId: idempotencyKeys.keyId });
        if (inserted.length) return { kind: 'owner' };
        const [row] = await db.select().from(idempotencyKeys).where(where(keyId, key));
        if (row) {
          if (row.requestHash !== hash) {
            throw new Problem(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request.', [
              { path: 'headers.Idempotency-Key', message: 'reused with a different body' },
            ]);
          }
          if (row.status !== null) return { kind: 'replay', reply: row.response as Reply };
          // Judged and renewed on PostgreSQL's clock in one statement, so of two takers only one wins. Not by
          // comparing the stored time with the one read back: a JavaScript Date drops the microseconds, so
          // that never matched a claim PostgreSQL had stamped, and the key stayed stuck for good.
          const taken = await db
            .update(idempotencyKeys)
            .set({ createdAt: sql`now()` })
            .where(
              and(
                where(keyId, key),
                isNull(idempotencyKeys.status),
                lt(idempotencyKeys.createdAt, sql`now() - ${staleInterval}::interval`),
              ),
            )
            .returning({ keyId: idempotencyKeys.keyId });
          if (taken.length) return { kind: 'owner' };
        }
        if (Date.now() > deadline) {
          throw new Problem(
            409,
            'idempotency_in_progress',
            'A request with this Idempotency-Key is still running; retry shortly.',
            undefined,
            { 'Retry-After': '1' },
          );
        }
        await sleep(50);
      }
    },
    async complete(keyId, key, reply) {
      await db.update(idempotencyKeys).set({ status: reply.status, response: reply }).where(where(keyId, key));
    },
    async release(keyId, key) {
      await db.delete(idempotencyKeys).where(and(where(keyId, key), isNull(idempotencyKeys.status)));
    },
  };
}
