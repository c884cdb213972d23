import { describe, expect, it } from 'vitest';
import { replyText, ticketOfInbound } from '../../../src/conversation/inbound-mail';
import { messageIdOf, replyAddressOf, threadRootId, ticketOfMailKey } from '../../../src/conversation/message-id';

describe('which ticket an inbound mail answers', () => {
  const base = { to: ['support@vendor.test'], subject: 'Hello' };
  it('reads the Reply-To sub-address first, then the thread, then the subject tag', () => {
    expect(ticketOfInbound({ ...base, to: ['support+T-AB12@vendor.test'], subject: '[T-OTHER] x' })).toBe('T-AB12');
    expect(ticketOfInbound({ ...base, inReplyTo: threadRootId('T-CD34', 'd.test') })).toBe('T-CD34');
    expect(ticketOfInbound({ ...base, references: ['<x@y>', messageIdOf('ticket:T-EF56:ack', 'd.test')] })).toBe('T-EF56');
    expect(ticketOfInbound({ ...base, subject: 'Re: [T-GH78] Calls drop' })).toBe('T-GH78');
    expect(ticketOfInbound(base)).toBeUndefined();
  });

  it('keeps what the customer wrote above the quoted history', () => {
    expect(replyText('Works now.\r\n\r\nOn Tue, Support wrote:\r\n> old')).toBe('Works now.');
    expect(replyText('Thanks\n-----Original Message-----\nFrom: x')).toBe('Thanks');
    expect(replyText('> only quoted')).toBe('');
  });

  it('derives the thread identities our mail carries', () => {
    expect(replyAddressOf('Support <support@vendor.test>', 'T-1')).toBe('support+T-1@vendor.test');
    expect(replyAddressOf('support@vendor.test', 'T-1')).toBe('support+T-1@vendor.test');
    expect(ticketOfMailKey('ticket:T-1-DEV:opened')).toBe('T-1-DEV');
    expect(ticketOfMailKey('subscription:S-1:reminder')).toBeUndefined();
  });
});
