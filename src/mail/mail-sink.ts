import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
  receivedAt: number;
}

async function fullyParsed(stream: Readable, to: string[]): Promise<ReceivedMail> {
  const parsed = await simpleParser(stream);
  const headers: Record<string, string> = {};
  for (const [k, v] of parsed.headers) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return {
    messageId: parsed.messageId ?? '',
    from: parsed.from?.text ?? '',
    to,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    headers,
    receivedAt: Date.now(),
  };
}

async function headersOnly(stream: Readable, to: string[]): Promise<ReceivedMail> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const end = raw.indexOf('\r\n\r\n');
  const block = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  if (block.includes('=?')) return fullyParsed(Readable.from([raw]), to);
  const headers: Record<string, string> = {};
  for (const field of block.split(/\r\n(?![ \t])/)) {
    const colon = field.indexOf(':');
    if (colon > 0)
      headers[field.slice(0, colon).trim().toLowerCase()] = field
        .slice(colon + 1)
        .replace(/\r\n[ \t]+/g, ' ')
        .trim();
  }
  return {
    messageId: headers['message-id'] ?? '',
    from: headers['from'] ?? '',
    to,
    subject: headers['subject'] ?? '',
    text: '',
    headers,
    receivedAt: Date.now(),
  };
}

/**
 * A real SMTP server that keeps what it receives: the dev stack's mail viewer and the tests' inbox.
 * It can be stopped and started again on the same port to simulate an outage.
 */
export class MailSink {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private waiters: Array<() => void> = [];
  port = 0;

  /**
   * `parse: 'headers'` keeps each message's header fields and skips its body (`text` is empty): a load
   * generator's sink on the machine it measures, where mailparser's full parse (~0.26 ms a message)
   * would be charged to the system under test. A message with encoded words is still parsed in full.
   */
  constructor(
    private readonly host = '127.0.0.1',
    private readonly parse: 'full' | 'headers' = 'full',
  ) {}

  async start(port = 0): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // Stopping drops open (pooled) client connections at once, as an outage would, instead of serving them for 30 s more.
      closeTimeout: 1,
      logger: false,
      onData: (stream, session, callback) => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        const received = this.parse === 'headers' ? headersOnly(stream, to) : fullyParsed(stream, to);
        received
          .then((mail) => {
            this.messages.push(mail);
            for (const w of this.waiters.splice(0)) w();
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port || this.port, this.host, () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves with the messages matching `pred` once at least `count` have arrived. */
  async waitFor(pred: (m: ReceivedMail) => boolean, count = 1, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.filter(pred);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} mail(s); have ${found.length} of ${this.messages.length} received`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}
