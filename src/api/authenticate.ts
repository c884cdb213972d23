import type { Request } from 'express';
import { findPrincipalByHash, findPrincipalById, hashApiKey } from '../auth/api-keys';
import type { ReadCache } from '../db/read-cache';
import { cookie, CSRF_HEADER, SESSION_COOKIE, type SessionSigner } from '../console/session';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import { Problem } from './problem';

export interface Authenticator {
  authenticate(req: Request): Promise<Principal>;
}

const unauthorized = (detail: string) =>
  new Problem(401, 'unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer realm="supportflow"' });

/** The presented key, from `Authorization: Bearer <key>` or `X-Api-Key`. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.get('authorization');
  if (auth !== undefined) {
    const m = /^Bearer[ ]+([\x21-\x7e]{1,200})\s*$/i.exec(auth);
    return m?.[1];
  }
  const key = req.get('x-api-key');
  return key !== undefined && /^[\x21-\x7e]{1,200}$/.test(key) ? key : undefined;
}

/**
 * Keys are looked up by hash on every request, so a revocation takes effect on the next call; with a
 * `cache` (kept by hash, dropped whenever any key changes anywhere) within milliseconds on every process.
 */
export function dbAuthenticator(db: Db, sessions?: SessionSigner, cache?: ReadCache<Principal>): Authenticator {
  const byHash = (hash: string) => (cache ? cache.get(hash, () => findPrincipalByHash(db, hash)) : findPrincipalByHash(db, hash));
  return {
    async authenticate(req) {
      const hasHeader = req.get('authorization') !== undefined || req.get('x-api-key') !== undefined;
      const token = hasHeader || !sessions ? undefined : cookie(req, SESSION_COOKIE);
      if (token !== undefined && sessions) return fromSession(db, sessions, req, token);
      const key = presentedKey(req);
      if (!key)
        throw unauthorized(
          hasHeader
            ? 'The credentials are malformed; send Authorization: Bearer <key>.'
            : 'An API key is required: send Authorization: Bearer <key>.',
        );
      const principal = await byHash(hashApiKey(key));
      if (!principal) throw unauthorized('The API key is unknown or revoked.');
      return principal;
    },
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The staff console's cookie, accepted in place of a key. A cookie rides along on any request the
 * browser makes, so a change also needs the CSRF token (a header another site cannot set).
 */
async function fromSession(db: Db, sessions: SessionSigner, req: Request, token: string): Promise<Principal> {
  const session = sessions.verify(token, Date.now());
  if (!session) throw unauthorized('The console session has expired; sign in again.');
  if (!SAFE_METHODS.has(req.method) && !sessions.csrfMatches(token, req.get(CSRF_HEADER)))
    throw new Problem(403, 'csrf_failed', 'A change from the console needs its X-CSRF-Token header.');
  const principal = await findPrincipalById(db, session.keyId);
  if (!principal) throw unauthorized('The key behind this console session was revoked.');
  return principal;
}
