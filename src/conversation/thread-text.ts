import type { Db } from '../db/client';
import { messagesOf } from './message-store';
import { MessageKind } from './message-types';

const AUTHORED = new Set<string>([MessageKind.Request, MessageKind.CustomerReply, MessageKind.StaffReply, MessageKind.InternalNote]);

/**
 * The conversation as plain text, for the development team (seed 001 step 3: development works from
 * the customer's report): what people wrote, internal notes included, system mail left out.
 */
export async function threadText(db: Db, ticketId: string): Promise<string> {
  const messages = (await messagesOf(db, ticketId, { publicOnly: false })).filter((m) => AUTHORED.has(m.kind));
  if (messages.length === 0) return '';
  const lines = messages.map((m) => {
    const who = m.author.name ?? m.author.email ?? m.author.kind;
    const label = m.visibility === 'internal' ? `${who} (internal note)` : who;
    return `--- ${m.at} ${label}:\n${m.text}`;
  });
  return `Thread of ${ticketId}:\n${lines.join('\n')}\n`;
}
