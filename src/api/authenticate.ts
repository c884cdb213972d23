import type { Request } from 'express';
import { findPrincipal } from '../auth/api-keys';
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

/** Keys are looked up by hash on every request, so a revocation takes effect on the next call. */
export function dbAuthenticator(db: Db): Authenticator {
  return {
    async authenticate(req) {
      const hasHeader = req.get('authorization') !== undefined || req.get('x-api-key') !== undefined;
      const key = presentedKey(req);
      if (!key)
        throw unauthorized(
          hasHeader
            ? 'The credentials are malformed; send Authorization: Bearer <key>.'
            : 'An API key is required: send Authorization: Bearer <key>.',
        );
      const principal = await findPrincipal(db, key);
      if (!principal) throw unauthorized('The API key is unknown or revoked.');
      return principal;
    },
  };
}
