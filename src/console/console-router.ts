import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import { findPrincipal } from '../auth/api-keys';
import type { Db } from '../db/client';
import { cookie, CSRF_COOKIE, SESSION_COOKIE, type SessionSigner } from './session';
import { loginPage, shellPage } from './pages';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Our own files and the two small libraries, served from disk: the console loads nothing from the internet. */
function assets(): Record<string, { type: string; body: string }> {
  const own = (f: string) => readFileSync(path.join(here, 'assets', f), 'utf8');
  // The ES module builds sit beside each package's CommonJS entry; their `exports` do not name them.
  const dep = (id: string, file: string) => readFileSync(path.join(path.dirname(require.resolve(id)), file), 'utf8');
  return {
    'console.js': { type: 'text/javascript', body: own('console.js') },
    'console.css': { type: 'text/css', body: own('console.css') },
    'preact.mjs': { type: 'text/javascript', body: dep('preact', 'preact.module.js') },
    'hooks.mjs': { type: 'text/javascript', body: dep('preact/hooks', 'hooks.module.js') },
    'htm.mjs': { type: 'text/javascript', body: dep('htm', 'htm.module.js') },
  };
}

const IMPORT_MAP = JSON.stringify({
  imports: { preact: '/console/assets/preact.mjs', 'preact/hooks': '/console/assets/hooks.mjs', htm: '/console/assets/htm.mjs' },
});
const importMapHash = createHash('sha256').update(IMPORT_MAP).digest('base64');

function secure(res: Response): void {
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self' 'sha256-${importMapHash}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * The staff console: a sign-in that trades a staff key for an HTTP-only session cookie, and one page
 * whose script drives the same /v1 API every client uses (the cookie stands in for the key there,
 * with a CSRF token on every change). Server-rendered shell, Preact with htm in the browser: no
 * build step, so `npm run dev` serves it as it is.
 */
export function consoleRouter(deps: { db: Db; sessions: SessionSigner }): Router {
  const router = Router();
  const files = assets();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  router.get('/', (req, res) => {
    res.locals.route = '/console';
    secure(res);
    const token = cookie(req, SESSION_COOKIE);
    const session = token ? deps.sessions.verify(token, Date.now()) : undefined;
    res.type('html').send(session ? shellPage(IMPORT_MAP, session.agent) : loginPage());
  });

  router.post('/session', form, async (req, res) => {
    res.locals.route = '/console/session';
    secure(res);
    const body = req.body as { key?: unknown; agent?: unknown };
    const key = typeof body.key === 'string' ? body.key.trim() : '';
    const agent = typeof body.agent === 'string' ? body.agent.trim().slice(0, 200) : '';
    const principal = key && agent ? await findPrincipal(deps.db, key) : undefined;
    if (!principal || (principal.role !== 'staff' && principal.role !== 'admin')) {
      res
        .status(401)
        .type('html')
        .send(loginPage(agent ? 'That is not a staff key.' : 'Give your name and a staff key.'));
      return;
    }
    const issued = deps.sessions.issue(principal.keyId, agent, Date.now());
    const flags = `Path=/; SameSite=Strict; Max-Age=${Math.floor(issued.maxAgeMs / 1000)}${req.secure ? '; Secure' : ''}`;
    res.append('Set-Cookie', `${SESSION_COOKIE}=${encodeURIComponent(issued.token)}; HttpOnly; ${flags}`);
    res.append('Set-Cookie', `${CSRF_COOKIE}=${encodeURIComponent(issued.csrf)}; ${flags}`);
    res.redirect(303, '/console');
  });

  router.post('/logout', (req, res) => {
    res.locals.route = '/console/logout';
    res.append('Set-Cookie', `${SESSION_COOKIE}=; HttpOnly; Path=/; SameSite=Strict; Max-Age=0`);
    res.append('Set-Cookie', `${CSRF_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0`);
    res.redirect(303, '/console');
  });

  router.get('/assets/:file', (req, res, next) => {
    res.locals.route = '/console/assets/:file';
    const f = Object.hasOwn(files, req.params.file) ? files[req.params.file] : undefined;
    if (!f) return next();
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(f.type).send(f.body);
  });
  return router;
}
