import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { createApp } from '../../src/api/app';
import { connectDb, type DbHandle } from '../../src/db/client';
import { presetPolicyStore } from '../../src/tickets/policy-store';
import { TEST_CONTACTS } from '../support/stack';

/** A "database" that accepts connections and never answers: what a hung or partitioned server looks like. */
let silent: Server;
const sockets: Socket[] = [];
let db: DbHandle;
let connection: Connection;
beforeAll(async () => {
  silent = createServer((s) => void sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  db = connectDb(`postgres://x:y@127.0.0.1:${(silent.address() as AddressInfo).port}/none`, { max: 1 });
  connection = await Connection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await connection.close();
  await db.sql.end({ timeout: 0 });
});

describe('request deadline', () => {
  it('answers 503 with Retry-After when a dependency hangs, instead of hanging the caller', async () => {
    const app = createApp({
      client: new Client({ connection }),
      db: db.db,
      policies: presetPolicyStore(),
      contacts: TEST_CONTACTS,
      log: pino({ level: 'silent' }),
      requestTimeoutMs: 700,
    });
    const started = Date.now();
    const res = await request(app)
      .get('/v1/tickets')
      .set('Authorization', 'Bearer sf_anything_at_all_that_looks_like_a_key_000')
      .timeout(5_000);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.code).toBe('dependency_timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
