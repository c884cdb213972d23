import { eq, ne, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Db } from '../src/db/client';
import { emailOutbox } from '../src/db/schema';

export interface EmailMessage {
  /** (ticket or subscription, event) — one email per key, however often the activity is retried. */
  dedupeKey: string;
  to: string;
  subject: string;
  text: string;
}

export interface MailDeps {
  db: Db;
  transport: Transporter;
  from: string;
  messageIdDomain?: string;
}

export type SendResult = 'sent' | 'already-sent';

export function createMailActivities(deps: MailDeps) {
  const domain = deps.messageIdDomain ?? 'supportflow.local';
  return {
    /**
     * Outbox first, then SMTP, then mark sent. A retry after a successful mark is a no-op. The only window
     * left (SMTP accepted, mark failed) resends with the same Message-ID, which mail stores collapse.
     */
    async sendEmail(msg: EmailMessage): Promise<SendResult> {
      const messageId = `<${encodeURIComponent(msg.dedupeKey)}@${domain}>`;
      // One round trip: create the outbox row or count another attempt at an unsent one. No row back means sent.
      const [row] = await deps.db
        .insert(emailOutbox)
        .values({ dedupeKey: msg.dedupeKey, toAddress: msg.to, subject: msg.subject, body: msg.text, messageId, attempts: 1 })
        .onConflictDoUpdate({
          target: emailOutbox.dedupeKey,
          set: { attempts: sql`${emailOutbox.attempts} + 1` },
          setWhere: ne(emailOutbox.status, 'sent'),
        })
        .returning();
      if (!row) return 'already-sent';
      await deps.transport.sendMail({
        from: deps.from,
        to: row.toAddress,
        subject: row.subject,
        text: row.body,
        messageId: row.messageId,
        headers: { 'X-Supportflow-Key': msg.dedupeKey },
      });
      await deps.db.update(emailOutbox).set({ status: 'sent', sentAt: new Date() }).where(eq(emailOutbox.dedupeKey, msg.dedupeKey));
      return 'sent';
    },
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
