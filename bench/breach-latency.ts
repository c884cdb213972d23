import type { Client } from '@temporalio/client';
import type { ChangeFeed } from '../src/db/change-feed';
import type { DbHandle } from '../src/db/client';
import type { MailSink, ReceivedMail } from '../src/mail/mail-sink';
import { benchApp } from './harness/bench-app';
import { benchCustomer, benchPolicyStore, benchTicketBody, duePolicyId, seedBenchCustomers } from './harness/bench-ticket';
import { tail, type Child } from './harness/child-process';
import { histogramSvg } from './harness/histogram-svg';
import { staffApiKey } from './harness/bench-db';
import { closeServer, listen, openTicket } from './harness/http';
import { isAckEmail, isBreachEmail, ticketIdOf } from './harness/mail-probes';
import { holdOpenTickets } from './harness/held-tickets';
import { timerAnatomy } from './harness/timer-anatomy';
import { runConcurrent } from './harness/pool';
import { envInt, table, writeResult, writeText } from './harness/report';
import { moreThanOnce, ms, secs, summarize } from './harness/stats';

/**
 * 1,000 keeps `npm run bench` under ten minutes on a 2-core machine: each ticket's start-up work (three
 * activities and an email) must be done before its deadline, and the dev server plus one worker do ~30
 * tickets/s of it there.
 */
export const DEFAULT_BREACH_TICKETS = 1_000;
const POLL_INTERVAL_S = 300;

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** The baseline is a model, not a measurement: a helpdesk polling every P seconds sees a breach U(0, P) late. */
export function pollingModel(intervalS = POLL_INTERVAL_S) {
  const q = (p: number) => Math.round(p * intervalS * 1000);
  return {
    label: `MODEL: helpdesk polling every ${intervalS / 60} min, delay ~ U(0, ${intervalS} s)`,
    p50: q(0.5),
    p99: q(0.99),
    max: q(1),
  };
}

/**
 * Holds `count` open tickets whose first-response deadlines are spread over a window that opens after
 * every ticket has been started and acknowledged, then measures how late each breach lands: as the
 * workflow saw it (data.firedAt), in PostgreSQL (recorded_at) and, once the workflow sends one, in the
 * SMTP server.
 */
export async function runBreachBench(
  ctx: { client: Client; db: DbHandle; changes: ChangeFeed; mail: MailSink; worker: Child },
  count = envInt('BENCH_BREACH_TICKETS', DEFAULT_BREACH_TICKETS),
) {
  const spreadMs = envInt('BENCH_BREACH_SPREAD_S', 180) * 1000;
  // The first deadline waits until every ticket's start-up work is done (see DEFAULT_BREACH_TICKETS).
  const loadMs = envInt('BENCH_BREACH_LOAD_S', Math.ceil(count / 15) + 30) * 1000;
  const concurrency = envInt('BENCH_BREACH_CONCURRENCY', 32);
  const graceMs = envInt('BENCH_BREACH_GRACE_S', 120) * 1000;
  const port = envInt('BENCH_API_PORT', 13000) + 1;
  const heldCount = envInt('BENCH_BREACH_HELD', 0);
  const apiKey = await staffApiKey(ctx.db.db);
  const policies = benchPolicyStore();
  const app = benchApp({ client: ctx.client, db: ctx.db.db, changes: ctx.changes, policies });
  const server = await listen(app, port);
  const held = heldCount
    ? await holdOpenTickets(ctx, {
        count: heldCount,
        baseUrl: `http://127.0.0.1:${port}`,
        apiKey,
        policies,
        concurrency,
        window: envInt('BENCH_BREACH_HELD_WINDOW', 1000),
      }).catch(async (err: unknown) => {
        await closeServer(server);
        throw err;
      })
    : undefined;
  const firstDue = Date.now() + loadMs;
  const dueOf = (i: number) => firstDue + Math.round((spreadMs * i) / count);
  const customerOf = (i: number) => `bench-breach-${i}`;
  // Each ticket has its own deadline, so its own customer whose contract is on a policy due then
  // (bench-due-<instant>; the policy's target is what is left when the ticket opens). Setup, not timed.
  const seedMs = await seedBenchCustomers(
    ctx.db.db,
    policies,
    Array.from({ length: count }, (_, i) => benchCustomer(customerOf(i), [duePolicyId(dueOf(i))])),
  );
  const openedAt = new Map<string, number>();
  const dueAt = new Map<string, number>();
  const mine = (m: ReceivedMail) => openedAt.has(ticketIdOf(m) ?? '');
  const mailFrom = ctx.mail.messages.length;
  const benchStarted = Date.now();
  let workerDied: { exit: number | string | null; afterS: number } | undefined;
  let finished = false;
  void ctx.worker.exited.then((exit) => {
    if (finished) return;
    workerDied = { exit, afterS: Math.round((Date.now() - benchStarted) / 1000) };
    console.log(
      `WORKER DIED (${String(exit)}) ${workerDied.afterS} s into the run; last lines of ${ctx.worker.logFile}:\n${tail(ctx.worker.logFile, 8)}`,
    );
  });
  let rssPeak = 0;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => {
    const rss = ctx.worker.rssBytes();
    if (rss === undefined) return;
    rssSamples.push(rss);
    rssPeak = Math.max(rssPeak, rss);
  }, 1000);

  try {
    console.log(
      `\n== 2. Breach latency: ${count} open tickets${held ? ` beside ${held.held} held open` : ''}, deadlines over ${spreadMs / 1000} s starting in ${secs(firstDue - Date.now())}` +
        ` (${count} customers on record in ${secs(seedMs)} before)`,
    );
    const load = await runConcurrent(count, concurrency, async (i) => {
      const { status, code, ticket } = await openTicket(
        `http://127.0.0.1:${port}`,
        apiKey,
        benchTicketBody(i, duePolicyId(dueOf(i)), customerOf(i)),
      );
      if (!ticket) throw new Error(`POST /v1/tickets answered ${status}${code ? ` ${code}` : ''}`);
      openedAt.set(ticket.id, ticket.openedAt);
      dueAt.set(ticket.id, ticket.dueAt);
    });
    if (load.failures) throw new Error(`${load.failures} ticket opens failed: ${String(load.firstError)}`);
    console.log(`opened ${count} tickets through the API in ${secs(load.wallMs)} (${load.perSecond.toFixed(0)}/s)`);
    const ids = [...openedAt.keys()];

    const acked = () => ctx.mail.messages.slice(mailFrom).filter((m) => isAckEmail(m) && mine(m)).length;
    while (acked() < count && Date.now() < firstDue + spreadMs && !workerDied) await sleep(500);
    const backlogOverlapMs = Math.max(0, Date.now() - firstDue);
    console.log(
      `all start-up work done (${acked()} acknowledgments) ${backlogOverlapMs ? `${secs(backlogOverlapMs)} AFTER the first deadline: figures include that backlog` : `${secs(firstDue - Date.now())} before the first deadline`}`,
    );

    const lastDue = Math.max(...dueAt.values());
    const breachRows = async () =>
      (
        await ctx.db.sql<
          Array<{ n: number }>
        >`select count(*)::int as n from ticket_events where kind = 'breach' and ticket_id = any(${ids})`
      )[0]?.n ?? 0;
    let seen = 0;
    while ((seen = await breachRows()) < count && Date.now() < lastDue + graceMs && !workerDied) await sleep(2000);
    // Breach emails follow their rows; wait for them too once the workflow is seen to send any.
    const breachMailed = () => ctx.mail.messages.slice(mailFrom).filter((m) => isBreachEmail(m) && mine(m)).length;
    while (breachMailed() > 0 && breachMailed() < seen && Date.now() < lastDue + graceMs && !workerDied) await sleep(1000);

    // Epoch milliseconds computed in SQL: drizzle's postgres.js setup hands timestamps back as strings.
    const rows = await ctx.db.sql<Array<{ ticket_id: string; at_ms: number; recorded_ms: number; fired_at: string | null }>>`
      select ticket_id, extract(epoch from at)::float8 * 1000 as at_ms, extract(epoch from recorded_at)::float8 * 1000 as recorded_ms, data->>'firedAt' as fired_at
      from ticket_events where kind = 'breach' and ticket_id = any(${ids})`;
    const rowLag = rows.map((r) => r.recorded_ms - r.at_ms);
    const firedLag = rows.filter((r) => r.fired_at !== null).map((r) => Number(r.fired_at) - r.at_ms);
    const early = rowLag.filter((v) => v < 0).length;
    const mails = ctx.mail.messages.slice(mailFrom).filter(mine);
    const breachMails = mails.filter(isBreachEmail);
    const breachMailLag = breachMails.map((m) => m.receivedAt - (dueAt.get(ticketIdOf(m) ?? '') ?? Number.NaN)).filter(Number.isFinite);
    const ackLag = mails
      .filter(isAckEmail)
      .map((m) => m.receivedAt - (openedAt.get(ticketIdOf(m) ?? '') ?? Number.NaN))
      .filter(Number.isFinite);

    // Exactly once, however many workers share the queue: tickets with more than one of each effect.
    const duplicates = {
      breachRows: moreThanOnce(rows.map((r) => r.ticket_id)),
      breachEmails: moreThanOnce(breachMails.map((m) => ticketIdOf(m) ?? '')),
      acknowledgments: moreThanOnce(mails.filter(isAckEmail).map((m) => ticketIdOf(m) ?? '')),
    };

    const anatomy = await timerAnatomy(ctx.client, dueAt);
    const row = summarize(rowLag);
    const fired = summarize(firedLag);
    const mail = summarize(breachMailLag);
    const ack = summarize(ackLag);
    const model = pollingModel();
    const rssEnd = ctx.worker.rssBytes();
    const MiB = (b: number | undefined) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MiB`);
    console.log(
      table([
        {
          measure: `  stage: timer armed late (server due - deadline), ${anatomy.sampled} sampled`,
          count: anatomy.armedLate.count,
          p50: ms(anatomy.armedLate.p50),
          p99: ms(anatomy.armedLate.p99),
          max: ms(anatomy.armedLate.max),
        },
        {
          measure: '  stage: server timer queue (TimerFired - server due)',
          count: anatomy.serverTimer.count,
          p50: ms(anatomy.serverTimer.p50),
          p99: ms(anatomy.serverTimer.p99),
          max: ms(anatomy.serverTimer.max),
        },
        {
          measure: '  stage: dispatch (WorkflowTaskStarted - TimerFired)',
          count: anatomy.dispatch.count,
          p50: ms(anatomy.dispatch.p50),
          p99: ms(anatomy.dispatch.p99),
          max: ms(anatomy.dispatch.max),
        },
        {
          measure: 'timer fired (data.firedAt - deadline)',
          count: fired.count,
          p50: ms(fired.p50),
          p99: ms(fired.p99),
          max: ms(fired.max),
        },
        { measure: 'breach row (recorded_at - deadline)', count: row.count, p50: ms(row.p50), p99: ms(row.p99), max: ms(row.max) },
        {
          measure: 'breach email (SMTP receivedAt - deadline)',
          count: mail.count,
          p50: ms(mail.p50),
          p99: ms(mail.p99),
          max: ms(mail.max),
        },
        { measure: 'ack email under load (receivedAt - openedAt)', count: ack.count, p50: ms(ack.p50), p99: ms(ack.p99), max: ms(ack.max) },
        { measure: model.label, count: '-', p50: secs(model.p50), p99: secs(model.p99), max: secs(model.max) },
      ]),
    );
    if (breachMails.length === 0)
      console.log('no breach emails: the workflow does not send one yet (predicate: bench/harness/mail-probes.ts isBreachEmail)');
    const goalMet = row.count === count && row.p99 <= 1000 && !workerDied;
    console.log(
      `breaches recorded ${seen}/${count}; p99 (row) ${ms(row.p99)} vs goal <= 1 s: ${goalMet ? 'MET' : 'NOT MET'}; p50 speed-up vs polling model ${(model.p50 / row.p50).toFixed(0)}x`,
    );
    console.log(`worker RSS peak ${MiB(rssPeak)}, at end ${MiB(rssEnd)} (VmRSS of ${ctx.worker.name})`);
    console.log(
      `tickets with a duplicate: breach row ${duplicates.breachRows}, breach email ${duplicates.breachEmails}, acknowledgment ${duplicates.acknowledgments}`,
    );
    if (early) console.log(`WARNING: ${early} breach rows were recorded before their deadline`);

    const resultName = `breach-latency${count === DEFAULT_BREACH_TICKETS ? '' : `-${count}`}${held ? `-held-${held.held}` : ''}`;
    const svgName = `${resultName}.svg`;
    writeText(
      svgName,
      histogramSvg(rowLag, {
        title: `Breach latency, ${row.count} tickets: deadline -> ticket_events row (polling model p50 ${model.p50 / 1000} s, off-scale)`,
        xLabel: 'milliseconds after the deadline',
        markers: [
          { value: row.p50, label: `p50 ${ms(row.p50)}` },
          { value: row.p99, label: `p99 ${ms(row.p99)}` },
        ],
      }),
    );
    const file = writeResult(resultName, {
      count,
      held: held ?? null,
      spreadMs,
      loadMs,
      startRatePerSecond: load.perSecond,
      backlogOverlapMs,
      breachesRecorded: seen,
      earlyRows: early,
      latencyMs: { timerFired: fired, row, breachEmail: mail, ackUnderLoad: ack },
      timerAnatomy: anatomy,
      baselineModel: model,
      goal: { p99Ms: 1000, met: goalMet },
      workerRss: { peakBytes: rssPeak, endBytes: rssEnd ?? null, samples: rssSamples.length },
      workerDied: workerDied ?? null,
      duplicates,
      breachEmailPredicate: 'subject matches /breach/i (bench/harness/mail-probes.ts)',
    });
    console.log(`-> ${file}, bench/results/${svgName}`);
    return { count, row, fired, mail, ack, rssPeak, goalMet, duplicates };
  } finally {
    finished = true;
    clearInterval(sampler);
    await closeServer(server);
  }
}
