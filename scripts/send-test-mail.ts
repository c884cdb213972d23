import nodemailer from 'nodemailer';

/**
 * `npm run mail:send -- <from> "<subject>" ["<text>"] [ticket-id]`: one mail to the dev stack's inbound
 * SMTP (INBOUND_SMTP_PORT, 2526 by default). Without a ticket id it is a new request; with one it is a
 * reply to that ticket's thread.
 */
const [from, subject = 'Test request', text = 'Sent with npm run mail:send.', ticketId] = process.argv.slice(2);
if (!from) {
  console.error('usage: npm run mail:send -- <from> "<subject>" ["<text>"] [ticket-id]');
  process.exit(2);
}
const port = Number(process.env.INBOUND_SMTP_PORT ?? 2526);
const transport = nodemailer.createTransport({ host: process.env.API_HOST ?? '127.0.0.1', port, ignoreTLS: true });
try {
  const info = await transport.sendMail({
    from,
    to: ticketId ? `support+${ticketId}@supportflow.local` : 'support@supportflow.local',
    subject: ticketId ? `Re: [${ticketId}] ${subject}` : subject,
    text,
  });
  console.log(`accepted: ${info.response} (${info.messageId})`);
} catch (err) {
  console.error(`refused: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  transport.close();
}
