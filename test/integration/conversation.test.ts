import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketActivities, type TicketRecord } from '../../activities/ticket-activities';
import { deliverInbound } from '../../src/conversation/inbound-mail';
import { threadRootId } from '../../src/conversation/message-id';
import { ticketEvents, ticketMessages, tickets } from '../../src/db/schema';
import { dbAccountStore } from '../../src/accounts/account-store';
import { InboundSmtp } from '../../src/mail/inbound-server';
import { presetPolicyStore } from '../../src/tickets/policy-store';
import { fastPolicy } from '../support/policies';
import { authed, startStack, TEST_CONTACTS, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

/** The conversation of a ticket through HTTP on the real stack (issue 15, items 1, 2, 4, 5). */
const store = presetPolicyStore({
  'conv-slow': fastPolicy('conv-slow', { firstResponse: 3600 }),
  'conv-fast': fastPolicy('conv-fast', { firstResponse: 2 }),
});
// The stack's worker mints Message-IDs on the default domain and replies come back to MAIL_FROM's mailbox.
const DOMAIN = 'supportflow.local';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ policies: store });
});
afterAll(async () => {
  await stack?.stop();
});

interface Message {
  key: string;
  kind: string;
  visibility: string;
  author: { kind: string; name: string | null; email: string | null };
  text: string;
  messageId: string;
}
interface Entry {
  kind: string;
  key: string;
  actor: { kind: string; name: string | null };
  visibility: string;
  status?: { from: string; to: string };
  clocks?: Array<{ clock: string; change: string; from: string | null; to: string | null; remainingMs?: number }>;
  mail?: { to: string; key: string };
}

const requester = () => `${randomUUID().slice(0, 8)}@acme.test`;

async function open(policy: string, email: string): Promise<{ id: string; customer: string }> {
  const customer = await stack.customer({ policies: [policy] });
  const res = await stack.http
    .post('/v1/tickets')
    .send({ customerId: customer, requesterEmail: email, subject: 'Calls drop', description: 'Inbound calls drop after the greeting.' })
    .expect(201);
  return { id: res.body.id as string, customer };
}

const messages = async (id: string, key?: string): Promise<Message[]> =>
  (await (key ? authed(stack.app, key) : stack.http).get(`/v1/tickets/${id}/messages`).expect(200)).body.items as Message[];
const timeline = async (id: string, key?: string): Promise<Entry[]> =>
  (await (key ? authed(stack.app, key) : stack.http).get(`/v1/tickets/${id}/timeline`).expect(200)).body.items as Entry[];
const until = <T>(fn: () => Promise<T>, ok: (v: T) => boolean) => waitFor(async () => ((v) => (ok(v) ? v : undefined))(await fn()));

describe('messages as records, mailed as one thread', () => {
  it('lists the thread of an opened, replied and responded ticket in order with its authors; every mail answers the request', async () => {
    const email = requester();
    const { id, customer } = await open('conv-slow', email);
    const customerKey = await stack.key('customer', customer);
    await until(
      () => messages(id),
      (m) => m.some((x) => x.key === 'ack'),
    );
    await authed(stack.app, customerKey)
      .post(`/v1/tickets/${id}/replies`)
      .send({ message: 'It also happens on outbound calls.' })
      .expect(200);
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'Bob Baker', message: 'We are tracing the SIP trunk.' }).expect(200);

    const thread = await until(
      () => messages(id),
      (m) => m.some((x) => x.kind === 'staff_reply'),
    );
    expect(thread.map((m) => [m.kind, m.author.kind])).toEqual([
      ['request', 'customer'],
      ['system', 'system'],
      ['customer_reply', 'customer'],
      ['system', 'system'],
      ['staff_reply', 'staff'],
    ]);
    expect(thread[0]).toMatchObject({
      text: 'Inbound calls drop after the greeting.',
      author: { email },
      messageId: threadRootId(id, DOMAIN),
    });
    expect(thread[2]?.text).toBe('It also happens on outbound calls.');
    expect(thread[4]).toMatchObject({ author: { name: 'Bob Baker' }, text: 'We are tracing the SIP trunk.', visibility: 'public' });
    // The reply's notice to the team lead (nobody is assigned) is staff's: the customer's key lists the rest.
    expect(thread[3]?.visibility).toBe('internal');
    expect((await messages(id, customerKey)).map((m) => m.kind)).toEqual(['request', 'system', 'customer_reply', 'staff_reply']);

    const mails = await stack.mail.waitFor((m) => m.subject.includes(`[${id}]`), 3);
    const root = threadRootId(id, DOMAIN);
    for (const m of mails) {
      expect(m.headers['in-reply-to'], m.subject).toBe(root);
      expect(m.headers.references, m.subject).toContain(root);
      expect(m.headers['reply-to'], m.subject).toContain(`support+${id}@test.local`);
    }
    const notice = mails.find((m) => m.to.includes('lead@vendor.test'));
    expect(notice?.text).toContain('It also happens on outbound calls.');
    const reply = mails.find((m) => m.messageId === thread[4]?.messageId);
    expect(reply?.subject).toBe(`[${id}] Re: Calls drop`);
    expect(reply?.from).toContain('Bob Baker');
    expect(reply?.text).toContain('Bob Baker wrote:');
    expect(reply?.text).toContain('We are tracing the SIP trunk.');
    expect(reply?.text).toContain('Current commitments');
  });

  it('lists an internal note for staff only and never mails it', async () => {
    const { id, customer } = await open('conv-slow', requester());
    await until(
      () => messages(id),
      (m) => m.some((x) => x.key === 'ack'),
    );
    const secret = `Customer is on a legacy trunk ${randomUUID()}`;
    const note = await stack.http.post(`/v1/tickets/${id}/notes`).set('Idempotency-Key', randomUUID()).send({ agent: 'Ann', text: secret });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'internal_note', visibility: 'internal', author: { kind: 'staff', name: 'Ann' } });
    const customerKey = await stack.key('customer', customer);
    expect((await messages(id)).some((m) => m.text === secret)).toBe(true);
    expect((await messages(id, customerKey)).some((m) => m.text === secret || m.kind === 'internal_note')).toBe(false);
    expect((await timeline(id)).some((e) => e.kind === 'note' && e.actor.name === 'Ann')).toBe(true);
    expect((await timeline(id, customerKey)).some((e) => e.kind === 'note')).toBe(false);
    await authed(stack.app, customerKey).post(`/v1/tickets/${id}/notes`).send({ agent: 'Eve', text: 'x' }).expect(403);
    expect(stack.mail.messages.some((m) => m.text.includes(secret))).toBe(false);
  });
});

describe('the timeline', () => {
  it('lists each clock change of a breached, paused and escalated ticket with its instants, and the development ticket carries the thread', async () => {
    const { id } = await open('conv-fast', requester());
    await until(
      () => timeline(id),
      (t) => t.some((e) => e.kind === 'breach'),
    );
    await stack.http.post(`/v1/tickets/${id}/request-info`).send({ agent: 'Bob', message: 'Which firmware?' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/replies`).send({ message: 'Firmware 6.0.21' }).expect(200);
    await stack.http.post(`/v1/tickets/${id}/notes`).send({ agent: 'Bob', text: 'Looks like the known RTP bug.' }).expect(201);
    await stack.http
      .post(`/v1/tickets/${id}/escalate`)
      .send({ agent: 'Bob', summary: 'RTP stream stops after IVR; reproducible.' })
      .expect(200);
    const t = await until(
      () => timeline(id),
      (x) => x.some((e) => e.kind === 'dev_opened') && x.some((e) => e.mail?.to === 'dev@vendor.test'),
    );
    const byKind = (k: string) => t.find((e) => e.kind === k);
    const clock = (e: Entry | undefined, c: string) => e?.clocks?.find((x) => x.clock === c);

    const opened = byKind('opened');
    expect(clock(opened, 'first_response')).toMatchObject({ change: 'started', from: null });
    expect(clock(opened, 'first_response')?.to).toMatch(/Z$/);
    expect(clock(opened, 'resolution')?.change).toBe('started');
    const breach = byKind('breach');
    expect(breach).toMatchObject({ actor: { kind: 'system' } });
    expect(t.some((e) => e.kind === 'warning')).toBe(true);
    expect(t.some((e) => e.mail?.to === 'lead@vendor.test' && e.mail.key.includes('breach:'))).toBe(true);

    const asked = byKind('request_info');
    expect(asked).toMatchObject({ actor: { kind: 'staff', name: 'Bob' }, status: { from: 'new', to: 'waiting_on_customer' } });
    const paused = clock(asked, 'resolution');
    expect(paused).toMatchObject({ change: 'paused', from: clock(opened, 'resolution')?.to, to: null });
    expect(paused?.remainingMs).toBeGreaterThan(0);
    expect(clock(asked, 'first_response')).toMatchObject({ change: 'stopped', from: clock(opened, 'first_response')?.to });

    const replied = byKind('customer_reply');
    expect(replied).toMatchObject({ actor: { kind: 'customer' }, status: { from: 'waiting_on_customer', to: 'in_progress' } });
    const resumed = clock(replied, 'resolution');
    expect(resumed).toMatchObject({ change: 'resumed', from: null });
    expect(Date.parse(resumed!.to!)).toBeGreaterThan(Date.parse(paused!.from!));
    expect(clock(replied, 'next_reply')?.change).toBe('started');

    const escalated = byKind('escalate');
    expect(escalated?.status).toEqual({ from: 'in_progress', to: 'escalated' });
    const retargeted = clock(escalated, 'resolution');
    expect(retargeted).toMatchObject({ change: 'retargeted', from: resumed?.to });
    expect(Date.parse(retargeted!.to!)).toBeGreaterThan(Date.parse(retargeted!.from!));
    const order = t.map((e) => e.kind);
    expect(order.indexOf('opened')).toBeLessThan(order.indexOf('breach'));
    expect(order.indexOf('breach')).toBeLessThan(order.indexOf('request_info'));
    expect(order.indexOf('request_info')).toBeLessThan(order.indexOf('escalate'));

    const dev = (await stack.http.get(`/v1/tickets/${id}/development`).expect(200)).body;
    expect(dev).toMatchObject({
      ticketId: `${id}-DEV`,
      status: 'open',
      report: 'Inbound calls drop after the greeting.',
      escalation: { agent: 'Bob', note: 'RTP stream stops after IVR; reproducible.' },
    });
    expect((dev.thread as Message[]).map((m) => m.text)).toEqual(
      expect.arrayContaining(['Firmware 6.0.21', 'Looks like the known RTP bug.']),
    );
    const [devMail] = await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}-DEV]`));
    expect(devMail?.text).toContain('Inbound calls drop after the greeting.');
    expect(devMail?.text).toContain('RTP stream stops after IVR; reproducible.');
    expect(devMail?.text).toContain('Firmware 6.0.21');
    // The escalating agent's note is development's, not the customer's.
    const customerView = (await stack.http.get(`/v1/tickets/${id}/messages`).expect(200)).body.items as Message[];
    expect(customerView.find((m) => m.text.startsWith('RTP stream'))?.visibility).toBe('internal');
  });

  it('answers 404 for the development ticket of a ticket never escalated', async () => {
    const { id } = await open('conv-slow', requester());
    const res = await stack.http.get(`/v1/tickets/${id}/development`).expect(404);
    expect(res.body.code).toBe('no_dev_ticket_yet');
  });
});

describe('idempotence', () => {
  it('writes a message once however often its activity runs', async () => {
    const acts = createTicketActivities({ db: stack.db.db });
    const ticketId = `T-IDEM-${randomUUID().slice(0, 8)}`;
    const ticket: TicketRecord = {
      ticketId,
      workflowId: `ticket-${ticketId}`,
      customerId: 'c-idem',
      policyId: 'conv-slow',
      policyVersion: 1,
      priority: 'normal',
      status: 'answered',
      slaState: 'ok',
      subject: 'Idempotent',
      description: 'Once',
      fields: {},
      channel: 'email',
      requesterEmail: 'i@acme.test',
      deadlines: {},
      openedAt: Date.now(),
      version: 2,
      at: Date.now(),
    };
    const change = {
      ticket,
      event: {
        ticketId,
        eventKey: 'respond:u1',
        kind: 'respond',
        at: Date.now(),
        data: { actor: 'Bob', arg: { agent: 'Bob', message: 'Hi' } },
      },
      mails: [
        {
          dedupeKey: `ticket:${ticketId}:respond:u1`,
          to: 'i@acme.test',
          subject: `[${ticketId}] Re: Idempotent`,
          text: 'Bob wrote:\n\nHi',
        },
      ],
    };
    await acts.recordTicketChange(change);
    await acts.recordTicketChange(change);
    const rows = await stack.db.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'staff_reply',
      authorName: 'Bob',
      body: 'Hi',
      toAddress: 'i@acme.test',
      messageKey: 'respond:u1',
    });
    const events = await stack.db.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.eventKey, 'respond:u1')));
    expect(events).toHaveLength(1);
  });
});

describe('email in', () => {
  it('turns a reply to a ticket mail into the customer’s reply, once however often it is delivered; a stranger’s mail bounces', async () => {
    const inbound = new InboundSmtp((mail) => deliverInbound({ db: stack.db.db, client: stack.client }, mail));
    const port = await inbound.start();
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    try {
      const email = requester();
      const { id } = await open('conv-slow', email);
      const [ack] = await stack.mail.waitFor((m) => m.subject === `[${id}] We received your request: Calls drop`);
      const replyTo = /[^\s<>"]+\+T-[^\s<>"]+@[^\s<>"]+/.exec(ack?.headers['reply-to'] ?? '')?.[0];
      expect(replyTo).toBe(`support+${id}@test.local`);
      const mail = {
        from: email,
        to: replyTo!,
        subject: `Re: [${id}] We received your request: Calls drop`,
        messageId: `<${randomUUID()}@acme.test>`,
        inReplyTo: ack?.messageId,
        text: `Fixed after a reboot.\n\nOn Tue, Support wrote:\n> Your ticket ${id} is open.`,
      };
      await smtp.sendMail(mail);
      // A redelivery of the same mail (the sender never saw our 250) is the same reply.
      await smtp.sendMail(mail);
      const thread = await until(
        () => messages(id),
        (m) => m.some((x) => x.kind === 'customer_reply'),
      );
      const replies = thread.filter((m) => m.kind === 'customer_reply');
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({ text: 'Fixed after a reboot.', messageId: mail.messageId, author: { email } });
      await expect(smtp.sendMail({ ...mail, from: 'mallory@evil.test', messageId: `<${randomUUID()}@evil.test>` })).rejects.toThrow(/550/);
    } finally {
      smtp.close();
      await inbound.stop();
    }
  });
});

describe('002: the reseller on its end user’s ticket', () => {
  it('copies the reseller on every customer mail where the policy says so; its mailed reply lands as the reseller’s, and its key sees the ticket', async () => {
    const partner = `p-${randomUUID().slice(0, 8)}.test`;
    const noc = `noc@${partner}`;
    const reseller = `r-${randomUUID().slice(0, 8)}`;
    await stack.http
      .post('/v1/resellers')
      .send({ id: reseller, name: 'Partner', vendorId: 'emetrotel', contacts: [{ name: 'Partner NOC', email: noc }] })
      .expect(201);
    const customer = await stack.customer({ policies: ['emetrotel-standard'], resellerId: reseller });
    const email = requester();
    const fields = { systemType: 'UCX250', hostId: 'HX-1', softwareRelease: '6.0', callScenario: 'Inbound calls drop after the greeting' };
    // The end user opens it directly, with its own key.
    const opened = await authed(stack.app, await stack.key('customer', customer))
      .post('/v1/tickets')
      .send({ requesterEmail: email, subject: 'Calls drop', description: 'Inbound calls drop.', fields })
      .expect(201);
    const id = opened.body.id as string;
    await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'Bob', message: 'Which trunk?' }).expect(200);
    const mails = await stack.mail.waitFor((m) => m.subject.startsWith(`[${id}]`) && m.to.includes(email), 2);
    for (const m of mails) {
      expect(m.headers.cc, m.subject).toContain(noc);
      expect(m.to, m.subject).toEqual([email, noc]);
    }

    const inbound = new InboundSmtp((mail) => deliverInbound({ db: stack.db.db, client: stack.client }, mail));
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: await inbound.start(), ignoreTLS: true });
    try {
      await smtp.sendMail({
        from: `Partner NOC <${noc}>`,
        to: `support+${id}@test.local`,
        subject: `Re: [${id}] Re: Calls drop`,
        messageId: `<${randomUUID()}@${partner}>`,
        text: 'The SIP trunk of the main site.\n\n> Which trunk?',
      });
    } finally {
      smtp.close();
      await inbound.stop();
    }
    const resellerKey = await stack.key('reseller', reseller);
    const thread = await until(
      () => messages(id, resellerKey),
      (m) => m.some((x) => x.kind === 'customer_reply'),
    );
    expect(thread.find((m) => m.kind === 'customer_reply')).toMatchObject({
      text: 'The SIP trunk of the main site.',
      author: { kind: 'reseller', email: noc, name: reseller },
    });
    expect((await timeline(id)).find((e) => e.kind === 'customer_reply')?.actor).toEqual({ kind: 'reseller', name: noc });
    const listed = await authed(stack.app, resellerKey).get(`/v1/tickets?customerId=${customer}`).expect(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([id]);
    const [notice] = await stack.mail.waitFor((m) => m.subject === `[${id}] Reseller replied`);
    expect(notice?.to).toEqual(['lead@vendor.test']);

    // A vendor whose policy does not say support goes through the reseller copies nobody.
    const mailupReseller = `r-${randomUUID().slice(0, 8)}`;
    await stack.http
      .post('/v1/resellers')
      .send({ id: mailupReseller, name: 'Agency', vendorId: 'mailup', contacts: [{ email: `desk@${partner}` }] })
      .expect(201);
    const direct = await stack.customer({ policies: ['mailup-standard'], resellerId: mailupReseller });
    const other = await stack.http
      .post('/v1/tickets')
      .send({ customerId: direct, requesterEmail: email, subject: 'Queue stuck' })
      .expect(201);
    const [ack] = await stack.mail.waitFor((m) => m.subject.startsWith(`[${other.body.id as string}]`));
    expect(ack?.headers.cc).toBeUndefined();
    expect(ack?.to).toEqual([email]);
  });
});

describe('email in: a new request', () => {
  it('opens a ticket for the sender’s customer on its contract’s policy, threaded under the customer’s mail; machines open nothing', async () => {
    const domain = `m-${randomUUID().slice(0, 8)}.test`;
    const log = Buffer.from('09:00:01 queued\n09:00:02 waiting for slot\n'.repeat(500));
    const png = randomBytes(200_000);
    const customer = await stack.customer({ policies: ['mailup-standard'], domains: [domain] });
    const opener = {
      client: stack.client,
      policies: store,
      accounts: dbAccountStore(stack.db.db),
      contacts: TEST_CONTACTS,
      taskQueue: stack.taskQueue,
    };
    const inbound = new InboundSmtp((mail) => deliverInbound({ db: stack.db.db, client: stack.client, opener, ownDomain: DOMAIN }, mail));
    const port = await inbound.start();
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    try {
      const mail = {
        from: `Ada <ada@${domain}>`,
        to: 'support@test.local',
        subject: 'Newsletter stuck in the queue',
        messageId: `<${randomUUID()}@${domain}>`,
        text: 'Our campaign has been queued since 9:00.\n\n-- \nAda',
        attachments: [
          { filename: 'queue.log', content: log, contentType: 'text/plain' },
          { filename: 'shot.png', content: png, contentType: 'image/png' },
        ],
      };
      await smtp.sendMail(mail);
      await smtp.sendMail(mail);
      const rows = await waitFor(async () => {
        const r = await stack.db.db.select().from(tickets).where(eq(tickets.customerId, customer));
        return r.length ? r : undefined;
      });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        policyId: 'mailup-standard',
        channel: 'email',
        requesterEmail: `ada@${domain}`,
        subject: mail.subject,
      });
      const id = rows[0]!.id;
      const [ack] = await stack.mail.waitFor((m) => m.subject === `[${id}] We received your request: ${mail.subject}`);
      expect(ack?.headers['in-reply-to']).toBe(mail.messageId);

      // The files round-trip byte for byte, listed with the request they came with.
      const files = (await stack.http.get(`/v1/tickets/${id}/attachments`).expect(200)).body.items as Array<{
        name: string;
        url: string;
        size: number;
      }>;
      expect(files.map((f) => [f.name, f.size])).toEqual([
        ['queue.log', log.length],
        ['shot.png', png.length],
      ]);
      const customerKey = authed(stack.app, await stack.key('customer', customer));
      const got = await customerKey
        .get(files[1]!.url)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(got.body as Buffer, png)).toBe(0);
      const request = (await messages(id)).find((m) => m.kind === 'request') as Message & { attachments: Array<{ name: string }> };
      expect(request.attachments.map((f) => f.name)).toEqual(['queue.log', 'shot.png']);
      const stranger = authed(stack.app, await stack.key('customer', 'someone-else'));
      expect((await stranger.get(files[1]!.url)).status).toBe(404);
      // Too big a file refuses the whole mail (552), so nothing is half-kept.
      await expect(
        smtp.sendMail({
          ...mail,
          messageId: `<${randomUUID()}@${domain}>`,
          attachments: [{ filename: 'disk.img', content: Buffer.alloc(10 * 1024 * 1024 + 1) }],
        }),
      ).rejects.toThrow(/552/);

      // An auto-reply, a bounce and our own mail looping back open nothing and are not answered.
      const before = stack.mail.messages.length;
      await smtp.sendMail({
        ...mail,
        messageId: `<${randomUUID()}@${domain}>`,
        headers: { 'Auto-Submitted': 'auto-replied' },
        subject: 'Out of office',
      });
      await smtp.sendMail({
        ...mail,
        from: `MAILER-DAEMON@${domain}`,
        messageId: `<${randomUUID()}@${domain}>`,
        subject: 'Undelivered Mail',
      });
      await smtp.sendMail({ ...mail, messageId: `<ticket%3A${id}%3Aack@${DOMAIN}>`, subject: 'loop' });
      await smtp.sendMail({ ...mail, messageId: `<${randomUUID()}@${domain}>`, headers: { Precedence: 'bulk' }, subject: 'Digest' });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await stack.db.db.select().from(tickets).where(eq(tickets.customerId, customer))).toHaveLength(1);
      expect(stack.mail.messages.length).toBe(before);

      // A reply to the ticket once it is closed opens its follow-up, as POST …/replies does.
      await stack.http.post(`/v1/tickets/${id}/respond`).send({ agent: 'Bob', message: 'Restarted the queue.' }).expect(200);
      await stack.http.post(`/v1/tickets/${id}/resolve`).send({ agent: 'Bob', resolution: 'solution' }).expect(200);
      await stack.http.post(`/v1/tickets/${id}/close`).send({ agent: 'Bob' }).expect(200);
      await smtp.sendMail({
        ...mail,
        attachments: [],
        to: `support+${id}@test.local`,
        subject: `Re: [${id}] again`,
        messageId: `<${randomUUID()}@${domain}>`,
        text: 'Stuck again.',
      });
      const followUp = await waitFor(async () => (await stack.db.db.select().from(tickets).where(eq(tickets.parentTicketId, id)))[0]);
      expect(followUp).toMatchObject({ customerId: customer, policyId: 'mailup-standard', description: 'Stuck again.' });

      // A stranger's new mail bounces instead of opening a ticket.
      await expect(
        smtp.sendMail({ ...mail, from: `eve@nobody-${randomUUID().slice(0, 6)}.test`, messageId: `<${randomUUID()}@x.test>` }),
      ).rejects.toThrow(/550/);
    } finally {
      smtp.close();
      await inbound.stop();
    }
  });
});
