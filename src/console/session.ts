import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export const SESSION_COOKIE = 'sf_session';
export const CSRF_COOKIE = 'sf_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_MS = 12 * 3_600_000;

export interface ConsoleSession {
  keyId: string;
  /** The agent's name: what actions are signed with and what "mine" means in the queue. */
  agent: string;
  expiresAt: number;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

/**
 * Sessions are signed, not stored: the cookie names the API key (by id, never the key itself) and the
 * agent, and the HMAC makes it unforgeable. The key is looked up on every request, so revoking it
 * ends the session. The CSRF token is derived from the session, so it needs no storage either.
 */
export class SessionSigner {
  private readonly secret: Buffer;

  constructor(secret?: string) {
    this.secret = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  issue(keyId: string, agent: string, now: number): { token: string; csrf: string; maxAgeMs: number } {
    const payload = ['v1', b64(keyId), b64(agent), String(now + SESSION_MS)].join('.');
    const token = `${payload}.${this.mac(payload)}`;
    return { token, csrf: this.csrfFor(token), maxAgeMs: SESSION_MS };
  }

  verify(token: string, now: number): ConsoleSession | undefined {
    const parts = token.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') return undefined;
    const payload = parts.slice(0, 4).join('.');
    const given = Buffer.from(parts[4] ?? '');
    const want = Buffer.from(this.mac(payload));
    if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
    const expiresAt = Number(parts[3]);
    if (!Number.isFinite(expiresAt) || expiresAt <= now) return undefined;
    return { keyId: unb64(parts[1] ?? ''), agent: unb64(parts[2] ?? ''), expiresAt };
  }

  csrfFor(token: string): string {
    return this.mac(`csrf:${token}`);
  }

  csrfMatches(token: string, presented: string | undefined): boolean {
    if (!presented) return false;
    const a = Buffer.from(presented);
    const b = Buffer.from(this.csrfFor(token));
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

export function cookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
