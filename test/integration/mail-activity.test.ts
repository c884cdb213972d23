import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { inject } from 'vitest';
import { createMailActivities } from '../../activities/mail-activities';
import { connectDb, type DbHandle } from '../../src/db/client';
import { emailOutbox } from '../../src/db/schema';
import { MailSink } from '../../src/mail/mail-sink';
import { createSmtpTransport } from '../../src/mail/transport';

let db: DbHandle;
const sink = new MailSink();
let port = 0;
beforeAll(async () => {
  db = connectDb(inject('databaseUrl'), { max: 2 });
  port = await sink.start();
});
afterAll(async () => {
  await sink.stop();
  await db.close();
});

describe('sendEmail activity', () => {
  it('sends once per dedupe key even when retried, and records the outbox row', async () => {
    const transport = createSmtpTransport({ host: '127.0.0.1', port });
    onTestFinished(() => transport.close());
    const acts = createMailActivities({ db: db.db, transport, from: 'Support <s@test.local>' });
    const env = new MockActivityEnvironment({ attempt: 1 });
    const key = `test:${randomUUID()}:ack`;
    const msg = { dedupeKey: key, to: 'ann@acme.test', subject: `hello ${key}`, text: 'body' };
    expect(await env.run(acts.sendEmail, msg)).toBe('sent');
    const retry = new MockActivityEnvironment({ attempt: 2 });
    expect(await retry.run(acts.sendEmail, msg)).toBe('already-sent');
    const got = await sink.waitFor((m) => m.subject === msg.subject);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages.filter((m) => m.subject === msg.subject)).toHaveLength(1);
    expect(got[0]?.messageId).toBe(`<${encodeURIComponent(key)}@supportflow.local>`);
    const [row] = await db.db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, key));
    expect(row).toMatchObject({ status: 'sent', attempts: 1, toAddress: 'ann@acme.test' });
  });

  it('fails (so Temporal retries) while SMTP is down, then delivers exactly once when it is back', async () => {
    const down = new MailSink();
    const downPort = await down.start();
    await down.stop();
    const transport = createSmtpTransport({ host: '127.0.0.1', port: downPort });
    onTestFinished(() => transport.close());
    const acts = createMailActivities({ db: db.db, transport, from: 's@test.local' });
    const key = `test:${randomUUID()}:breach`;
    const msg = { dedupeKey: key, to: 'lead@acme.test', subject: `breach ${key}`, text: 'late' };
    await expect(new MockActivityEnvironment().run(acts.sendEmail, msg)).rejects.toThrow();
    await down.start(downPort);
    expect(await new MockActivityEnvironment({ attempt: 2 }).run(acts.sendEmail, msg)).toBe('sent');
    await down.waitFor((m) => m.subject === msg.subject);
    expect(down.messages).toHaveLength(1);
    transport.close();
    await down.stop();
  });
});
