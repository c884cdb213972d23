import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { table, writeResult } from '../../bench/harness/report';
import { chaosSettings, ChaosStack } from './support/chaos-stack';
import { compactTrail, TicketLoad } from './support/load';
import { settleAndVerify, type FaultReport } from './support/verify';
import { historiesOf, replayableCount, replayFailures } from '../support/replay-all';

const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1000;
const RATE = Number(process.env.CHAOS_TICKETS_PER_S ?? 2);
const AROUND_MS = seconds('CHAOS_AROUND_S', 10);
const SETTLE_MS = seconds('CHAOS_SETTLE_S', 180);
const ONLY = process.env.CHAOS_ONLY?.split(',');
const fault = (name: string) => (!ONLY || ONLY.includes(name) ? it : it.skip);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

const stack = new ChaosStack();
const reports: Record<
  string,
  FaultReport & {
    replayed: number;
    listed: number;
    unreplayable: string[];
    downMs: number;
    acceptedOnRetry: number;
    gaveUp: number;
    gaveUpTrails?: string[];
    opens: object;
    reads: object;
  }
> = {};

beforeAll(async () => {
  await stack.start();
});

afterAll(async () => {
  // Fails when already running (the PostgreSQL fault restarted it), which is the state we want.
  await stack.pg('start').catch(() => undefined);
  await stack.pgWrites(true).catch(() => undefined);
  await stack.stop();
  if (Object.keys(reports).length === 0) return;
  console.log(
    table(
      Object.entries(reports).map(([fault, r]) => ({
        fault,
        'down s': r.downMs / 1000,
        opened: r.ticketsAccepted,
        lost: r.lostInTemporal + r.lostInPostgres,
        'started w/o 201': r.startedWithoutA201,
        '201 on retry / gave up': `${r.acceptedOnRetry}/${r.gaveUp}`,
        'emails exp/deliv/dup': `${r.emails.expected}/${r.emails.delivered}/${r.emails.duplicated}`,
        'breach rows/emails': `${r.breaches.rows}/${r.breaches.emails}`,
        'runs listed / replayed / failed': `${r.listed}/${r.replayed}/${r.unreplayable.length}`,
        'POST statuses': JSON.stringify(r.opens),
        'GET statuses': JSON.stringify(r.reads),
      })),
    ),
  );
  console.log(
    `-> ${writeResult('chaos', { settings: { ...chaosSettings, ticketsPerSecond: RATE, aroundMs: AROUND_MS, settleMs: SETTLE_MS }, faults: reports })}`,
  );
});

/** Tickets open at a steady rate before, during and after the fault; then everything accepted is audited. */
async function underFault(name: string, downMs: number, inject: () => Promise<void> | void, recover: () => Promise<void> | void) {
  const customerId = `chaos-${name}-${Date.now().toString(36)}`;
  // Setup: opening a ticket needs its customer on record, with a contract on the policy the load names.
  await stack.customer(customerId);
  const load = new TicketLoad(stack.apiUrl, stack.apiKey, customerId, chaosSettings.policyId, RATE);
  load.start();
  await sleep(AROUND_MS);
  load.phase = 'during';
  const started = Date.now();
  await inject();
  await sleep(downMs);
  await recover();
  const actualDownMs = Date.now() - started;
  load.phase = 'after';
  await sleep(AROUND_MS);
  await load.stop();
  const r = await settleAndVerify(stack, load, customerId, SETTLE_MS);
  // Killed workers and servers make workers replay; every history the fault left must replay as well.
  const histories = await historiesOf(stack.client, `CustomerId = '${customerId}'`);
  const unreplayable = await replayFailures(histories, readFileSync(stack.bundlePath, 'utf8'));
  reports[name] = {
    ...r,
    replayed: replayableCount(histories),
    listed: histories.length,
    unreplayable,
    downMs: actualDownMs,
    acceptedOnRetry: load.acceptedOnRetry,
    gaveUp: load.gaveUp,
    ...(load.gaveUpTrails.length ? { gaveUpTrails: load.gaveUpTrails.map(compactTrail) } : {}),
    opens: load.opens,
    reads: load.reads,
  };
  console.log(`[chaos] ${name}: ${JSON.stringify(reports[name])}`);

  expect.soft(r.ticketsAccepted, 'tickets accepted').toBeGreaterThan(0);
  expect.soft(unreplayable, 'histories that do not replay').toEqual([]);
  expect.soft(load.gaveUp, 'requests that never got a 201, retries included').toBe(0);
  expect.soft(r.lostInTemporal, 'accepted tickets missing in Temporal').toBe(0);
  expect.soft(r.lostInPostgres, 'accepted tickets missing in PostgreSQL').toBe(0);
  // With idempotent retries every started workflow belongs to a 201; any other is a ticket nobody knows of.
  expect.soft(r.startedWithoutA201, 'workflows started for requests that got no 201').toBe(0);
  expect.soft(r.emails.missing, 'due emails never delivered').toBe(0);
  expect.soft(r.emails.duplicated, 'emails delivered more than once').toBe(0);
  expect.soft(r.breaches.rows, 'breach rows').toBe(r.breaches.expected);
  expect.soft(r.breaches.ticketsWithDuplicateBreachEmail, 'tickets whose breach was mailed twice').toBe(0);
  for (const [phase, statuses] of Object.entries(load.opens)) {
    // A retry may meet its own first attempt still running: 409 idempotency_in_progress is the honest answer.
    const allowed = phase === 'retries' ? ['201', '503', '409'] : ['201', '503'];
    expect
      .soft(
        Object.keys(statuses).filter((s) => !allowed.includes(s)),
        `POST /v1/tickets answers (${phase})`,
      )
      .toEqual([]);
  }
  for (const [phase, statuses] of Object.entries(load.reads)) {
    expect
      .soft(
        Object.keys(statuses).filter((s) => s !== '200' && s !== '503'),
        `GET /v1/tickets/:id answers (${phase})`,
      )
      .toEqual([]);
  }
}

describe('supportflow under faults (real Temporal, PostgreSQL, SMTP; worker and API as processes)', () => {
  fault('worker-kill')('worker killed with SIGKILL, then restarted', async () => {
    await underFault(
      'worker-kill',
      seconds('CHAOS_WORKER_DOWN_S', 5),
      () => stack.worker.kill('SIGKILL'),
      () => stack.startWorker(),
    );
  });

  fault('postgres-restart')('PostgreSQL stopped (fast shutdown), then started', async () => {
    await underFault(
      'postgres-restart',
      seconds('CHAOS_PG_DOWN_S', 20),
      () => stack.pg('stop'),
      () => stack.pg('start'),
    );
  });

  fault('postgres-read-only')('PostgreSQL refuses every write for 30 s (disk full), then accepts them again', async () => {
    await underFault(
      'postgres-read-only',
      // 30 s: activities retry at 1, 3, 7, 15 and 31 s (backoff 2, capped at 30 s), so an outage this long
      // fails each write five times and the next attempt meets the recovery; 60 s added a minute to CI.
      seconds('CHAOS_PG_READ_ONLY_S', 30),
      () => stack.pgWrites(false),
      () => stack.pgWrites(true),
    );
  });

  fault('smtp-outage')('SMTP server down, then back on the same port', async () => {
    await underFault(
      'smtp-outage',
      // 30 s, as the read-only fault: five failed sends each, the sixth after the recovery.
      seconds('CHAOS_SMTP_DOWN_S', 30),
      () => stack.mail.stop(),
      async () => {
        await stack.mail.start(chaosSettings.smtpPort);
      },
    );
  });

  fault('temporal-restart')('Temporal dev server killed with SIGKILL, then restarted on its persistent file', async () => {
    await underFault(
      'temporal-restart',
      seconds('CHAOS_TEMPORAL_DOWN_S', 15),
      () => stack.temporal.kill('SIGKILL'),
      () => stack.temporal.start(),
    );
  });
});
