import type { DbHandle } from '../../src/db/client';
import type { MailSink } from '../../src/mail/mail-sink';
import { benchCustomer, benchTicketBody, seedBenchCustomers, wallPolicyId, type benchPolicyStore } from './bench-ticket';
import type { Child } from './child-process';
import { openTicket } from './http';
import { isAckEmail } from './mail-probes';
import { runConcurrent } from './pool';
import { secs } from './stats';

/** Far enough that no held ticket's deadline falls inside any run. */
const HELD_DUE_MS = 30 * 24 * 3_600_000;
const HELD_CUSTOMERS = 100;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

export interface HeldResult {
  held: number;
  openMs: number;
  /** From the first open to the last acknowledgment received: the opening backlog. */
  backlogMs: number;
  rssPeakBytes: number;
  rssAfterBytes: number | null;
}

/**
 * Issue 16 item 3's scaled run: `count` tickets opened through the API and left open (their deadlines a
 * month away), so the breach tickets measured after them fire while the server and the worker hold them
 * all. Returns once every one is acknowledged, with the worker's RSS over that backlog.
 */
export async function holdOpenTickets(
  ctx: { db: DbHandle; mail: MailSink; worker: Child },
  opts: {
    count: number;
    baseUrl: string;
    apiKey: string;
    policies: ReturnType<typeof benchPolicyStore>;
    concurrency: number;
    window?: number;
  },
): Promise<HeldResult> {
  const policyId = wallPolicyId(HELD_DUE_MS);
  const customerOf = (i: number) => `bench-held-${i % HELD_CUSTOMERS}`;
  await seedBenchCustomers(
    ctx.db.db,
    opts.policies,
    Array.from({ length: Math.min(HELD_CUSTOMERS, opts.count) }, (_, i) => benchCustomer(customerOf(i), [policyId])),
  );
  const ids = new Set<string>();
  const mailFrom = ctx.mail.messages.length;
  let rssPeak = 0;
  const sample = () => {
    const rss = ctx.worker.rssBytes();
    if (rss !== undefined) rssPeak = Math.max(rssPeak, rss);
  };
  const sampler = setInterval(sample, 1000);
  const started = Date.now();
  let died = false;
  void ctx.worker.exited.then(() => (died = true));
  try {
    console.log(`\n== 2a. Holding ${opts.count} open tickets (deadlines in ${HELD_DUE_MS / 86_400_000} days)`);
    let acked = 0;
    let scanned = mailFrom;
    let lastReport = Date.now();
    const countAcks = () => {
      const fresh = ctx.mail.messages.slice(scanned);
      scanned += fresh.length;
      acked += fresh.filter(isAckEmail).length;
      if (Date.now() - lastReport > 60_000) {
        lastReport = Date.now();
        const rss = ctx.worker.rssBytes();
        console.log(`  ${acked}/${opts.count} acknowledged after ${secs(Date.now() - started)}; worker RSS ${mib(rss)}`);
      }
    };
    const load = await runConcurrent(opts.count, opts.concurrency, async (i) => {
      // Paced to the worker: a flood of starts far ahead of it only grows the server's backlog.
      while (opts.window && ids.size - acked >= opts.window && !died) {
        countAcks();
        await sleep(50);
      }
      const { status, code, ticket } = await openTicket(opts.baseUrl, opts.apiKey, {
        ...benchTicketBody(i, policyId, customerOf(i)),
        subject: `Held ticket ${i}`,
      });
      if (!ticket) throw new Error(`POST /v1/tickets answered ${status}${code ? ` ${code}` : ''}`);
      ids.add(ticket.id);
    });
    if (load.failures) throw new Error(`${load.failures} held ticket opens failed: ${String(load.firstError)}`);
    console.log(`opened ${opts.count} held tickets in ${secs(load.wallMs)} (${load.perSecond.toFixed(0)}/s)`);
    while (acked < opts.count && !died) {
      countAcks();
      await sleep(1000);
    }
    sample();
    const rssAfter = ctx.worker.rssBytes() ?? null;
    const backlogMs = Date.now() - started;
    console.log(
      `held tickets acknowledged: ${acked}/${opts.count} in ${secs(backlogMs)}; worker RSS peak ${mib(rssPeak)}, after the backlog ${mib(rssAfter ?? undefined)}`,
    );
    return { held: opts.count, openMs: load.wallMs, backlogMs, rssPeakBytes: rssPeak, rssAfterBytes: rssAfter };
  } finally {
    clearInterval(sampler);
  }
}

const mib = (b: number | undefined) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MiB`);
