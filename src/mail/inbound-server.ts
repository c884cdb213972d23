import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { InboundOutcome, type InboundMail } from '../conversation/inbound-mail';

/** Outcomes the sender hears about as a bounce: their mail reached no ticket. */
const BOUNCE: Partial<Record<InboundOutcome, string>> = {
  [InboundOutcome.UnknownTicket]: 'No ticket matches this mail; write to support without a ticket reference to open one.',
  [InboundOutcome.SenderNotAllowed]: 'This address may not reply on the ticket.',
  [InboundOutcome.Empty]: 'The mail has no text above the quoted history.',
  [InboundOutcome.TicketOver]: 'The ticket is over; send a new mail without its reference to open a new ticket.',
  [InboundOutcome.UnknownSender]:
    'This address belongs to no customer of ours; write from the address your organisation registered, or through your reseller.',
  [InboundOutcome.TooLarge]: 'An attachment is larger than 10 MiB, or all of them together than 20 MiB; send a link instead.',
  [InboundOutcome.Refused]:
    'Your request could not be opened as a ticket: your organisation has no support contract covering email requests. Contact your account manager or reseller.',
};

const headerText = (v: unknown, key: 'autoSubmitted' | 'precedence') =>
  typeof v === 'string' ? { [key]: v } : v && typeof v === 'object' && 'value' in v ? { [key]: String(v.value) } : {};

const idList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : []);

/**
 * Inbound SMTP for replies (issue 15, item 3): a mail to a ticket's Reply-To becomes the customer's reply.
 * A transient failure (Temporal or PostgreSQL down) answers 451, so the sending server retries the same mail.
 */
export class InboundSmtp {
  private server: SMTPServer | undefined;

  constructor(
    private readonly deliver: (mail: InboundMail) => Promise<InboundOutcome>,
    private readonly host = '127.0.0.1',
  ) {}

  async start(port = 0): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      closeTimeout: 1,
      logger: false,
      // Above the 20 MiB of files a message may carry, plus what base64 adds to them.
      size: 30 * 1024 * 1024,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (parsed) => {
            const mail: InboundMail = {
              messageId: parsed.messageId ?? `<inbound-${session.id}@unknown>`,
              from: parsed.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
              references: idList(parsed.references),
              ...headerText(parsed.headers.get('auto-submitted'), 'autoSubmitted'),
              ...headerText(parsed.headers.get('precedence'), 'precedence'),
              ...(parsed.headers.has('x-autoreply') || parsed.headers.has('x-autorespond') ? { autoReply: true } : {}),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              attachments: parsed.attachments.map((a) => ({
                name: a.filename ?? 'attachment',
                contentType: a.contentType,
                content: a.content,
              })),
            };
            const outcome = await this.deliver(mail);
            const bounce = BOUNCE[outcome];
            if (bounce) callback(Object.assign(new Error(bounce), { responseCode: outcome === InboundOutcome.TooLarge ? 552 : 550 }));
            else callback();
          })
          .catch((err: Error) =>
            callback(Object.assign(new Error(`Try again later: ${err.message}`.slice(0, 200)), { responseCode: 451 })),
          );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => resolve());
    });
    this.server = server;
    return (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
