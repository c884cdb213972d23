import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailSink } from '../../src/mail/mail-sink';

/** The bench's sink reads headers only; what it keeps must be what the full parse keeps, body aside. */
const full = new MailSink();
const headers = new MailSink('127.0.0.1', 'headers');

beforeAll(async () => {
  await Promise.all([full.start(), headers.start()]);
});
afterAll(async () => {
  await Promise.all([full.stop(), headers.stop()]);
});

async function sendToBoth(subject: string) {
  const mail = {
    from: 'Support <support@vendor.test>',
    to: 'ann@acme.test',
    subject,
    text: 'Your ticket is open.\n',
    messageId: `<${subject.length}-${Date.now()}@vendor.test>`,
    headers: { 'X-Supportflow-Key': `ticket:T-1:${subject.length}:ack` },
  };
  for (const sink of [full, headers]) {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true });
    await transport.sendMail(mail);
    transport.close();
  }
  const [a] = await full.waitFor((m) => m.messageId === mail.messageId);
  const [b] = await headers.waitFor((m) => m.messageId === mail.messageId);
  return { a: a!, b: b! };
}

describe('a sink that reads headers only', () => {
  it('keeps the subject, the message id, the recipients and the outbox key as the full parse does', async () => {
    const { a, b } = await sendToBoth('[T-1] We received your request: Mail queue stuck');
    expect(b).toMatchObject({ subject: a.subject, messageId: a.messageId, to: a.to, text: '' });
    expect(b.headers['x-supportflow-key']).toBe(a.headers['x-supportflow-key']);
    expect(a.text).toContain('Your ticket is open.');
  });

  it('parses in full a message whose headers use encoded words', async () => {
    const { a, b } = await sendToBoth('[T-1] Nous avons reçu votre demande : file d’attente bloquée');
    expect(b.subject).toBe('[T-1] Nous avons reçu votre demande : file d’attente bloquée');
    expect(b).toMatchObject({ subject: a.subject, text: a.text });
  });
});
