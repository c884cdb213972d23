import type { ApplicationFailure } from '@temporalio/activity';
import { DEFAULT_MAIL_DOMAIN, messageIdOf } from '../src/conversation/message-id';
import type { Db } from '../src/db/client';
import { emailOutbox } from '../src/db/schema';
import { MAIL_REFUSED } from '../workflows/failure-types';
import { classify } from './failures';
import type { EmailMessage, SendResult } from './mail-activities';
import { insertEvent, writeTicketChange, type TicketChange, type TicketEventRecord, type Tx } from './ticket-activities';

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
export function createTicketCommitActivities(deps: { db: Db; send: (msg: EmailMessage) => Promise<SendResult>; mailDomain?: string }) {
  const domain = deps.mailDomain ?? DEFAULT_MAIL_DOMAIN;

  /** Writes `write` and an outbox row per mail in one transaction, then sends; see CommitResult. */
  async function commit(mails: EmailMessage[], write: (tx: Tx) => Promise<void>): Promise<CommitResult> {
    await deps.db.transaction(async (tx) => {
      await write(tx);
      // A mail that appends its ticket's thread renders its body when it is first sent, not here.
      const staged = mails
        .filter((m) => m.threadOf === undefined)
        .map((m) => ({
          dedupeKey: m.dedupeKey,
          toAddress: m.to,
          subject: m.subject,
          body: m.text,
          messageId: messageIdOf(m.dedupeKey, domain),
        }));
      if (staged.length) await tx.insert(emailOutbox).values(staged).onConflictDoNothing();
    });
    const results = await Promise.allSettled(mails.map((m) => deps.send(m)));
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
