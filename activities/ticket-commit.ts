import type { ApplicationFailure } from '@temporalio/activity';
import { DEFAULT_MAIL_DOMAIN, messageIdOf } from '../src/conversation/message-id';
import type { Db } from '../src/db/client';
import { emailOutbox } from '../src/db/schema';
import { MAIL_REFUSED } from '../workflows/failure-types';
import { classify } from './failures';
import type { createMailer, EmailMessage, SendResult } from './mail-activities';

type Mailer = ReturnType<typeof createMailer>;
import type { TicketEventRecord } from '../src/domain/ticket/types';
import { insertEvent, writeTicketChange, type TicketChange, type Tx } from './ticket-activities';

const STAGED_COLUMNS = {
  dedupeKey: emailOutbox.dedupeKey,
  toAddress: emailOutbox.toAddress,
  subject: emailOutbox.subject,
  body: emailOutbox.body,
  messageId: emailOutbox.messageId,
};
type StagedRow = { [K in keyof typeof STAGED_COLUMNS]: string };

export interface CommitResult {
  /** Per mail, by dedupe key: sent now, sent by an earlier attempt, or refused for good (the server's words). */
  mails: Record<string, SendResult | { refused: string }>;
}

/**
 * One activity per ticket change (issue 16): the row, the event, the messages and an outbox entry per
 * mail commit in one transaction, then the mails go out. A retry after a transient failure (SMTP down)
 * rewrites nothing (every write is keyed) and sends only what the outbox still holds unsent. A mail the
 * server refuses for good is reported, not thrown: the change is recorded, and retrying cannot heal it.
 */
export function createTicketCommitActivities(deps: {
  db: Db;
  send: (msg: EmailMessage) => Promise<SendResult>;
  /** Delivers a mail whose outbox row this commit has just created (see createMailer). */
  deliverClaimed: Mailer['deliverClaimed'];
  mailDomain?: string;
}) {
  const domain = deps.mailDomain ?? DEFAULT_MAIL_DOMAIN;

  /** Writes `write` and an outbox row per mail in one transaction, then sends; see CommitResult. */
  async function commit(mails: EmailMessage[], write: (tx: Tx) => Promise<void>): Promise<CommitResult> {
    // The rows this attempt created: creating one is its claim, so it is sent without claiming it again.
    const created = new Map<string, StagedRow>();
    await deps.db.transaction(async (tx) => {
      // A mail that appends its ticket's thread renders its body when it is first sent, not here.
      const staged = mails
        .filter((m) => m.threadOf === undefined)
        .map((m) => ({
          dedupeKey: m.dedupeKey,
          toAddress: m.to,
          subject: m.subject,
          body: m.text,
          messageId: messageIdOf(m.dedupeKey, domain),
          attempts: 1,
        }));
      // Sent with the change's own statements, in the same round trip (the outbox has no key on them).
      const [, rows] = await Promise.all([
        write(tx),
        staged.length ? tx.insert(emailOutbox).values(staged).onConflictDoNothing().returning(STAGED_COLUMNS) : [],
      ]);
      for (const r of rows) created.set(r.dedupeKey, r);
    });
    // A retry finds its rows already there (none created): it claims each as sendEmail does, so a mail an
    // earlier attempt sent stays sent.
    const results = await Promise.allSettled(
      mails.map((m) => {
        const row = created.get(m.dedupeKey);
        return row ? deps.deliverClaimed(m, row) : deps.send(m);
      }),
    );
    const out: CommitResult = { mails: {} };
    let transient: ApplicationFailure | undefined;
    results.forEach((r, i) => {
      const key = mails[i]!.dedupeKey;
      if (r.status === 'fulfilled') {
        out.mails[key] = r.value;
        return;
      }
      const failure = classify('commit mail', r.reason);
      if (failure.type === MAIL_REFUSED) out.mails[key] = { refused: failure.message };
      else transient ??= failure;
    });
    if (transient) throw transient;
    return out;
  }

  return {
    commitTicketChange: (change: TicketChange & { mails?: EmailMessage[] }): Promise<CommitResult> =>
      commit(change.mails ?? [], (tx) => writeTicketChange(tx, change, domain)),

    /** An event of a ticket without a row of its own (the development ticket) and its mails. */
    commitTicketEvent: (change: { event: TicketEventRecord; mails?: EmailMessage[] }): Promise<CommitResult> =>
      commit(change.mails ?? [], (tx) => insertEvent(tx, change.event)),
  };
}
