import { eq, ne, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { messageIdOf, replyAddressOf, threadRootId, ticketOfMailKey, DEFAULT_MAIL_DOMAIN } from '../src/conversation/message-id';
import { threadText } from '../src/conversation/thread-text';
import type { Db } from '../src/db/client';
import { emailOutbox } from '../src/db/schema';

export interface EmailMessage {
  /** (ticket or subscription, event) — one email per key, however often the activity is retried. */
  dedupeKey: string;
  to: string;
  /**
   * Copied on the mail (002: the customer's reseller). Part of the message the workflow hands over, so every
   * attempt at one dedupe key copies the same people; the outbox row keeps the addressee only.
   */
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  /** Who wrote it (a staff member's reply): the sender's display name, so the customer sees a person. */
  fromName?: string;
  /** A ticket whose conversation is appended (the development ticket carries the customer's thread). */
  threadOf?: string;
  /** The customer's own Message-ID when their mail opened the ticket: the thread hangs under it. */
  threadRoot?: string;
}

export interface MailDeps {
  db: Db;
  transport: Transporter;
  from: string;
  messageIdDomain?: string;
}

export type SendResult = 'sent' | 'already-sent';

/** `"bob (Support)" <support@…>`: the person, on the product's address. */
function sender(from: string, name: string | undefined): string | { name: string; address: string } {
  const address = /<([^>]+)>/.exec(from)?.[1];
  if (!name || !address) return from;
  const team = /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1]?.trim();
  return { name: team ? `${name} (${team})` : name, address };
}

type OutboxRow = typeof emailOutbox.$inferSelect;

/**
 * Sending through the outbox: `sendEmail` claims the row (creating it, or counting another attempt at an
 * unsent one) and delivers it; `deliverClaimed` delivers a row its caller has just created in its own
 * transaction, which is the claim (a ticket commit stages its mails with the change, issue 16).
 */
export function createMailer(deps: MailDeps) {
  const domain = deps.messageIdDomain ?? DEFAULT_MAIL_DOMAIN;

  async function deliverClaimed(
    msg: EmailMessage,
    row: Pick<OutboxRow, 'toAddress' | 'subject' | 'body' | 'messageId'>,
  ): Promise<SendResult> {
    // One thread per ticket: every mail answers the request that opened it and names the address replies come back to.
    const ticketId = ticketOfMailKey(msg.dedupeKey);
    const root = msg.threadRoot ?? (ticketId ? threadRootId(ticketId, domain) : undefined);
    const replyTo = ticketId ? replyAddressOf(deps.from, ticketId) : undefined;
    await deps.transport.sendMail({
      from: sender(deps.from, msg.fromName),
      to: row.toAddress,
      ...(msg.cc?.length ? { cc: msg.cc } : {}),
      subject: row.subject,
      text: row.body,
      ...(msg.html ? { html: msg.html } : {}),
      messageId: row.messageId,
      ...(root && root !== row.messageId ? { inReplyTo: root, references: [root] } : {}),
      ...(replyTo ? { replyTo } : {}),
      headers: { 'X-Supportflow-Key': msg.dedupeKey, ...(ticketId ? { 'X-Supportflow-Ticket': ticketId } : {}) },
    });
    await deps.db.update(emailOutbox).set({ status: 'sent', sentAt: new Date() }).where(eq(emailOutbox.dedupeKey, msg.dedupeKey));
    return 'sent';
  }

  return {
    deliverClaimed,
    /**
     * Outbox first, then SMTP, then mark sent. A retry after a successful mark is a no-op. The only window
     * left (SMTP accepted, mark failed) resends with the same Message-ID, which mail stores collapse.
     */
    async sendEmail(msg: EmailMessage): Promise<SendResult> {
      const messageId = messageIdOf(msg.dedupeKey, domain);
      // Rendered for the first attempt only: a retry sends the body the outbox kept, whatever was written since.
      const body = msg.threadOf ? `${msg.text}\n${await threadText(deps.db, msg.threadOf)}` : msg.text;
      // One round trip: create the outbox row or count another attempt at an unsent one. No row back means sent.
      const [row] = await deps.db
        .insert(emailOutbox)
        .values({ dedupeKey: msg.dedupeKey, toAddress: msg.to, subject: msg.subject, body, messageId, attempts: 1 })
        .onConflictDoUpdate({
          target: emailOutbox.dedupeKey,
          set: { attempts: sql`${emailOutbox.attempts} + 1` },
          setWhere: ne(emailOutbox.status, 'sent'),
        })
        .returning();
      if (!row) return 'already-sent';
      return deliverClaimed(msg, row);
    },
  };
}

/** The mail activity workflows call: only `sendEmail`, so nothing else is registered as an activity. */
export function createMailActivities(deps: MailDeps) {
  const { sendEmail } = createMailer(deps);
  return { sendEmail };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
