import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { presetPolicyStore } from '../../src/tickets/policy-store';
import { fastPolicy } from '../support/policies';
import { authed, startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';
import { and, eq } from 'drizzle-orm';
import { ticketEvents } from '../../src/db/schema';

/**
 * Issue 17: agents work the queue in a real browser (Debian's chromium through playwright-core)
 * against the real stack: sign in, see a ticket arrive, watch its countdown, answer it and see the
 * clock stop, resolve it. Screenshots go to test-output/console/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-output/console';
const policyId = `console-${randomUUID().slice(0, 6)}`;
/** Answered too late on purpose: its breach is what the report page must show. */
const breachingId = `${policyId}-2s`;

let stack: Stack;
let server: Server;
let base: string;
let browser: Browser;
let staffKey: string;
const problems: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    policies: presetPolicyStore({
      [policyId]: fastPolicy(policyId, { firstResponse: 600, resolution: 3600 }),
      [breachingId]: fastPolicy(breachingId, { firstResponse: 2 }),
    }),
  });
  server = stack.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  staffKey = await stack.key('staff');
  mkdirSync(SHOTS, { recursive: true });
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run scripts/setup-machine.sh (installs Debian's chromium)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await stack?.stop();
});

async function signedIn(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Script errors, and every failed request but the one refusal the test provokes on purpose (Chrome
  // also logs failed requests as console errors; those are judged by their response here instead).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    const refusedOnPurpose = r.status() === 409 && r.url().endsWith('/reopen');
    if (r.status() >= 400 && !refusedOnPurpose) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  await page.goto(`${base}/console`);
  await page.getByLabel('Your name').fill('Ana');
  await page.getByLabel('Staff API key').fill(staffKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Queue' }).waitFor();
  return page;
}

describe('staff console', () => {
  it('signs in, shows a new ticket in the queue with a live countdown, answers and resolves it', async () => {
    const page = await signedIn();
    await page.screenshot({ path: `${SHOTS}/queue-empty.png` });
    const customer = await stack.customer({ policies: [policyId] });
    const opened = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'it@acme.test', subject: 'Printer on fire', description: 'Smoke', policyId })
      .expect(201);
    const id: string = opened.body.id;

    // Filtered to this test's policy (the shared database holds other files' open tickets, which may
    // fill the first page), it appears without a reload, and its countdown runs.
    await page.getByLabel('Policy').fill(policyId);
    const row = page.locator(`tr[data-ticket="${id}"]`);
    await row.waitFor({ timeout: 15_000 });
    const first = await row.getByTestId('countdown').innerText();
    await page.waitForTimeout(2_100);
    const later = await row.getByTestId('countdown').innerText();
    expect(later).not.toBe(first);
    expect(first).toMatch(/^9m|^10m/);
    await page.screenshot({ path: `${SHOTS}/queue.png` });

    // Filtered to this test's policy, the queue is worked from the keyboard: j focuses the first
    // ticket, Enter opens it.
    await page.getByLabel('Policy').fill(policyId);
    await page.locator('tr[data-ticket]').nth(1).waitFor({ state: 'detached' });
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    expect(await page.evaluate('document.activeElement?.className')).toBe('ticket');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(id) }).waitFor();
    await page.locator('tr[data-clock="first_response"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/ticket.png`, fullPage: true });

    // Answering stops the first-response clock.
    const respond = page.locator('form[data-action="respond"]');
    await respond.getByLabel('message').fill('We are on it: the printer is unplugged.');
    await respond.getByRole('button').click();
    await page.getByTestId('status').filter({ hasText: 'answered' }).waitFor({ timeout: 15_000 });
    await page.locator('tr[data-clock="first_response"]').waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('ol.thread li', { hasText: 'We are on it: the printer is unplugged.' }).waitFor({ timeout: 15_000 });
    await page.locator('ul.clocks li', { hasText: 'first response stopped' }).waitFor({ timeout: 15_000 });

    // A refused action shows the workflow's reason.
    await page.locator('form[data-action="reopen"]').getByRole('button').click();
    await page.locator('form[data-action="reopen"] [role="alert"]').waitFor();
    expect(await page.locator('form[data-action="reopen"] [role="alert"]').innerText()).toMatch(/^not_resolved/);

    const resolve = page.locator('form[data-action="resolve"]');
    await resolve.getByLabel('note').fill('Plugged back in.');
    await resolve.getByRole('button').click();
    await page.getByTestId('status').filter({ hasText: 'resolved' }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/ticket-resolved.png`, fullPage: true });

    const sub = await stack.http
      .post('/v1/subscriptions')
      .send({ customerId: customer, contactEmail: 'billing@acme.test', planId: 'per-user-support', timeZone: 'UTC', seats: 3 })
      .expect(201);
    await page.goto(`${base}/console#/customers/${customer}`);
    await page.getByRole('heading', { name: new RegExp(customer) }).waitFor();
    const section = page.locator(`section[data-subscription="${sub.body.id}"]`);
    await section.locator('table.invoices tr').first().waitFor({ timeout: 15_000 });
    expect(await section.innerText()).toMatch(/3 seat\(s\)/);
    await page.screenshot({ path: `${SHOTS}/customer.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the priority a customer asked for beside the one the policy gave, and the agent triages it', async () => {
    const customer = await stack.customer({ policies: [policyId] });
    const asCustomer = authed(stack.app, await stack.key('customer', customer));
    const opened = await asCustomer
      .post('/v1/tickets')
      .send({ requesterEmail: 'it@acme.test', subject: 'Mail stuck', description: 'Queue grows', policyId, priority: 'urgent' })
      .expect(201);
    const page = await signedIn();
    await page.goto(`${base}/console#/tickets/${opened.body.id}`);
    const facts = page.locator('p.facts');
    await facts.filter({ hasText: 'requester asked urgent' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('priority').innerText()).toBe('normal');
    const triage = page.locator('form[data-action="priority"]');
    await triage.getByLabel('priority').selectOption('urgent');
    await triage.getByRole('button').click();
    await page.getByTestId('priority').filter({ hasText: 'urgent' }).waitFor({ timeout: 15_000 });
    expect(await facts.innerText()).not.toMatch(/requester asked/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows on the report page the breach a short-target ticket produced', async () => {
    const customer = await stack.customer({ policies: [breachingId] });
    const res = await stack.http
      .post('/v1/tickets')
      .send({ customerId: customer, requesterEmail: 'it@acme.test', subject: 'Too slow', policyId: breachingId })
      .expect(201);
    await waitFor(async () => {
      const rows = await stack.db.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, res.body.id), eq(ticketEvents.kind, 'breach')));
      return rows[0];
    });
    const page = await signedIn();
    await page.getByRole('link', { name: 'Reports' }).click();
    const row = page.locator(`tr[data-row="${breachingId}:first_response"]`);
    await row.waitFor({ timeout: 15_000 });
    const cells = await row.locator('td').allInnerTexts();
    // Count, met, breached, pending.
    expect(cells.slice(1, 5)).toEqual(['1', '0', '1', '0']);
    expect(cells[5]).toBe('0.0 %');
    await page.locator('figure.chart svg').waitFor();
    await page.screenshot({ path: `${SHOTS}/reports.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a non-staff key, and a cookie without its CSRF token cannot change anything', async () => {
    const customerKey = await stack.key('customer', 'someone');
    const login = await request(stack.app).post('/console/session').type('form').send({ agent: 'Eve', key: customerKey });
    expect(login.status).toBe(401);
    const ok = await request(stack.app).post('/console/session').type('form').send({ agent: 'Ana', key: staffKey });
    expect(ok.status).toBe(303);
    const cookies = ([] as string[]).concat(ok.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('sf_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const jar = cookies.map((c) => c.split(';')[0]).join('; ');
    const csrf = decodeURIComponent(/sf_csrf=([^;]+)/.exec(jar)?.[1] ?? '');
    await request(stack.app).get('/v1/queue').set('Cookie', jar).expect(200);
    const forged = await request(stack.app).post('/v1/tickets/T-NOPE/respond').set('Cookie', jar).send({ agent: 'x', message: 'y' });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    const real = await request(stack.app)
      .post('/v1/tickets/T-NOPE/respond')
      .set('Cookie', jar)
      .set('X-CSRF-Token', csrf)
      .send({ agent: 'x', message: 'y' });
    expect(real.status).toBe(404);
    // The session is never the key: the cookie does not contain it.
    expect(jar).not.toContain(staffKey);
  });
});
