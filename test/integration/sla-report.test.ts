import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { policies, ticketEvents, tickets } from '../../src/db/schema';
import { getPolicyPreset } from '../../src/domain/ticket/index';
import { presetPolicyStore } from '../../src/tickets/policy-store';
import { authed, startStack, type Stack } from '../support/stack';
import { fastPolicy } from '../support/policies';
import { waitFor } from '../support/wait';

/**
 * Issue 17, item 2: the SLA report's figures against a hand-built set of tickets. Policy and customer ids
 * are unique per run, so other test files' tickets never reach these figures.
 */
const run = randomUUID().slice(0, 6);
const fastId = `slarep-${run}`;
const hoursId = `slarep-bh-${run}`;
/** Resolution due 2 s after the opening at first level, 8 s at second. */
const escId = `slarep-esc-${run}`;
let stack: Stack;
let customer: string;

beforeAll(async () => {
  const escalation = fastPolicy(escId, { firstResponse: 3600, resolution: 2 });
  stack = await startStack({ policies: presetPolicyStore({ [fastId]: fastPolicy(fastId, { firstResponse: 3 }), [escId]: escalation }) });
  customer = await stack.customer({ policies: [fastId, escId] });
  // A stored version, as PUT /v1/policies would leave it: 003 Standard's targets on its 9-13/14-18 Rome calendar.
  await stack.db.db
    .insert(policies)
    .values({ id: hoursId, version: 1, spec: { ...getPolicyPreset('mailup-standard'), id: hoursId, version: 1 } });
});
afterAll(async () => {
  await stack?.stop();
});

const report = (q: string) => stack.http.get(`/v1/reports/sla?customerId=${customer}&${q}`);

async function open(subject: string, policyId = fastId): Promise<string> {
  const res = await stack.http
    .post('/v1/tickets')
    .send({ customerId: customer, requesterEmail: 'ops@acme.test', subject, policyId })
    .expect(201);
  return res.body.id as string;
}

/** The instant of a ticket's first event of a kind, as the journal holds it. */
async function eventAt(ticketId: string, kind: string): Promise<number> {
  const [row] = await stack.db.db
    .select({ at: ticketEvents.at })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, kind)))
    .orderBy(asc(ticketEvents.at));
  if (!row) throw new Error(`${ticketId} has no ${kind} event`);
  return row.at.getTime();
}

const secs = (ms: number) => Math.floor(ms / 1000);

describe('SLA report on live tickets (fast wall-clock policy)', () => {
  it('counts met, breached and pending per clock and measures time to meet without the pause', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const answered = await open('Answered at once');
    await stack.http.post(`/v1/tickets/${answered}/respond`).send({ agent: 'Ana', message: 'On it' }).expect(200);
    await stack.http.post(`/v1/tickets/${answered}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);

    const late = await open('Answered late');
    await waitFor(async () => (await eventAt(late, 'breach').catch(() => undefined)) ?? undefined);
    await stack.http.post(`/v1/tickets/${late}/respond`).send({ agent: 'Ana', message: 'Sorry' }).expect(200);

    const paused = await open('Waits on the customer');
    await stack.http.post(`/v1/tickets/${paused}/request-info`).send({ agent: 'Ana', message: 'Which version?' }).expect(200);
    await new Promise((r) => setTimeout(r, 2_000));
    await stack.http.post(`/v1/tickets/${paused}/replies`).send({ message: 'Version 5' }).expect(200);
    await stack.http.post(`/v1/tickets/${paused}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);
    const to = new Date(Date.now() + 60_000).toISOString();

    const o1 = await eventAt(answered, 'opened');
    const firstResponse = [
      (await eventAt(answered, 'respond')) - o1,
      (await eventAt(paused, 'request_info')) - (await eventAt(paused, 'opened')),
    ];
    const pause = (await eventAt(paused, 'customer_reply')) - (await eventAt(paused, 'request_info'));
    const resolution = [
      (await eventAt(answered, 'resolve')) - o1,
      (await eventAt(paused, 'resolve')) - (await eventAt(paused, 'opened')) - pause,
    ];
    const nextReply = (await eventAt(paused, 'resolve')) - (await eventAt(paused, 'customer_reply'));
    expect(pause).toBeGreaterThanOrEqual(2_000);

    const res = await report(`from=${from}&to=${to}&groupBy=policy`).expect(200);
    expect(res.body).toMatchObject({ groupBy: 'policy', countedBy: 'ticket_opened', from, to });
    const lo = (xs: number[]) => secs(Math.min(...xs));
    const hi = (xs: number[]) => secs(Math.max(...xs));
    expect(res.body.rows).toEqual([
      {
        group: fastId,
        clock: 'first_response',
        count: 3,
        met: 2,
        breached: 1,
        pending: 0,
        percentMet: 66.67,
        p50Seconds: lo(firstResponse),
        p90Seconds: hi(firstResponse),
      },
      {
        group: fastId,
        clock: 'next_reply',
        count: 1,
        met: 1,
        breached: 0,
        pending: 0,
        percentMet: 100,
        p50Seconds: secs(nextReply),
        p90Seconds: secs(nextReply),
      },
      {
        group: fastId,
        clock: 'resolution_first_level',
        count: 3,
        met: 2,
        breached: 0,
        pending: 1,
        percentMet: 100,
        p50Seconds: lo(resolution),
        p90Seconds: hi(resolution),
      },
    ]);
    // The two seconds waiting on the customer are not in the paused ticket's resolution time.
    expect(hi(resolution)).toBeLessThan(2);
  });
});

/**
 * HAND-INSERTED HISTORY: rows and events written straight into PostgreSQL as the workflow would have
 * written them in March 2025, because business hours cannot be waited for in a test. Rome is UTC+1 then,
 * so the calendar is open 08-12 and 13-17 UTC on weekdays; 3 March 2025 is a Monday.
 */
async function insertHistory(): Promise<void> {
  const db = stack.db.db;
  const ticket = (id: string, openedAt: string, status: string) => ({
    id,
    workflowId: `ticket-${id}`,
    customerId: customer,
    policyId: hoursId,
    policyVersion: 1,
    priority: 'normal',
    status,
    subject: `History ${id}`,
    requesterEmail: 'ops@acme.test',
    openedAt: new Date(openedAt),
    updatedAt: new Date(openedAt),
  });
  const events = (id: string, list: Array<[string, string, Record<string, unknown>]>) =>
    list.map(([kind, at, data], i) => ({ ticketId: id, eventKey: i === 0 ? 'opened' : `${kind}:${i}`, kind, at: new Date(at), data }));
  const met = `H1-${run}`;
  const breached = `H2-${run}`;
  await db.insert(tickets).values([ticket(met, '2025-03-03T11:00:00Z', 'resolved'), ticket(breached, '2025-03-03T16:30:00Z', 'answered')]);
  await db.insert(ticketEvents).values([
    ...events(met, [
      ['opened', '2025-03-03T11:00:00Z', { policyId: hoursId, policyVersion: 1, priority: 'normal', status: 'new' }],
      // Mon 12:00 → 15:30 Rome: 2.5 business hours, within the 4 promised.
      ['respond', '2025-03-03T14:30:00Z', { status: 'answered' }],
      // Waiting on the customer from Mon 16:00 to Tue 09:30 Rome: 2.5 business hours the resolution clock does not count.
      ['request_info', '2025-03-03T15:00:00Z', { status: 'waiting_on_customer' }],
      ['customer_reply', '2025-03-04T08:30:00Z', { status: 'in_progress' }],
      // Resolution: 6 business hours from the opening, minus the 2.5 paused = 3.5 h; next reply 09:30 → 10:00 = 0.5 h.
      ['resolve', '2025-03-04T09:00:00Z', { status: 'resolved' }],
    ]),
    ...events(breached, [
      ['opened', '2025-03-03T16:30:00Z', { policyId: hoursId, policyVersion: 1, priority: 'normal', status: 'new' }],
      // Due after 4 business hours: Mon 17:30-18:00 and Tue 09:00-12:30 Rome.
      ['breach', '2025-03-04T11:30:00Z', { clock: 'first_response', firedAt: Date.parse('2025-03-04T11:30:00.020Z') }],
      ['respond', '2025-03-04T14:00:00Z', { status: 'answered' }],
    ]),
  ]);
}

describe('SLA report on business hours (hand-inserted history)', () => {
  const range = 'from=2025-03-01T00:00:00Z&to=2025-03-10T00:00:00Z';
  const expected = (group: string) => [
    { group, clock: 'first_response', count: 2, met: 1, breached: 1, pending: 0, percentMet: 50, p50Seconds: 9_000, p90Seconds: 9_000 },
    { group, clock: 'next_reply', count: 1, met: 1, breached: 0, pending: 0, percentMet: 100, p50Seconds: 1_800, p90Seconds: 1_800 },
    {
      group,
      clock: 'resolution_first_level',
      count: 2,
      met: 1,
      breached: 0,
      pending: 1,
      percentMet: 100,
      p50Seconds: 12_600,
      p90Seconds: 12_600,
    },
  ];

  beforeAll(insertHistory);

  it('measures time to meet in business time on the pinned version’s calendar, pauses excluded', async () => {
    const res = await report(`${range}&groupBy=policy`).expect(200);
    expect(res.body.rows).toEqual(expected(hoursId));
  });

  it('groups by ISO week and priority, and filters by policy', async () => {
    expect((await report(`${range}&groupBy=week`).expect(200)).body.rows).toEqual(expected('2025-03-03'));
    expect((await report(`${range}&groupBy=priority&policyId=${hoursId}`).expect(200)).body.rows).toEqual(expected('normal'));
    expect((await report(`${range}&policyId=${fastId}`).expect(200)).body.rows).toEqual([]);
  });

  it('exports CSV with a header row', async () => {
    const res = await report(`${range}&format=csv`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text.split('\r\n')).toEqual([
      'group,clock,count,met,breached,pending,percent_met,p50_seconds,p90_seconds',
      `${hoursId},first_response,2,1,1,0,50,9000,9000`,
      `${hoursId},next_reply,1,1,0,0,100,1800,1800`,
      `${hoursId},resolution_first_level,2,1,0,1,100,12600,12600`,
      '',
    ]);
  });
});

/** The ticket's resolution breaches as the journal holds them, once there are `count`. */
function resolutionBreaches(ticketId: string, count: number) {
  return waitFor(async () => {
    const rows = await stack.db.db
      .select({ at: ticketEvents.at, data: ticketEvents.data })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, 'breach')))
      .orderBy(asc(ticketEvents.at));
    const mine = rows.filter((r) => r.data.clock === 'resolution');
    return mine.length >= count ? mine : undefined;
  });
}

const resolutionRows = (rows: Array<{ clock: string }>) => rows.filter((r) => r.clock.startsWith('resolution_'));

/**
 * 003: "within 1 working day, in case of first level intervention, and within 4 working days, in case of
 * second level intervention". Once escalated, the ticket is judged on the second-level promise alone.
 */
describe('SLA report on escalated tickets (fast wall-clock policy)', () => {
  it('a first-level breach before the escalation does not breach the second level; the second level’s own does', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const met = await open('Escalated late, fixed in time', escId);
    const [first] = await resolutionBreaches(met, 1);
    expect(first?.data).toMatchObject({ clock: 'resolution', level: 'first' });
    expect(first!.at.getTime() - (await eventAt(met, 'opened'))).toBe(2_000);
    await stack.http.post(`/v1/tickets/${met}/escalate`).send({ agent: 'Ana', summary: 'Defect' }).expect(200);
    await stack.http.post(`/v1/tickets/${met}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);

    const late = await open('Escalated late, fixed late', escId);
    await resolutionBreaches(late, 1);
    await stack.http.post(`/v1/tickets/${late}/escalate`).send({ agent: 'Ana', summary: 'Defect' }).expect(200);
    // Four times the first level's 2 s, from the opening: the escalated ticket's own deadline.
    const [, second] = await resolutionBreaches(late, 2);
    expect(second?.data).toMatchObject({ clock: 'resolution', level: 'second' });
    expect(second!.at.getTime() - (await eventAt(late, 'opened'))).toBe(8_000);
    await stack.http.post(`/v1/tickets/${late}/resolve`).send({ agent: 'Ana', resolution: 'solution' }).expect(200);
    const to = new Date(Date.now() + 60_000).toISOString();

    const took = secs((await eventAt(met, 'resolve')) - (await eventAt(met, 'opened')));
    const res = await report(`from=${from}&to=${to}&groupBy=policy&policyId=${escId}`).expect(200);
    expect(resolutionRows(res.body.rows)).toEqual([
      {
        group: escId,
        clock: 'resolution_second_level',
        count: 2,
        met: 1,
        breached: 1,
        pending: 0,
        percentMet: 50,
        p50Seconds: took,
        p90Seconds: took,
      },
    ]);
  });
});

/**
 * HAND-INSERTED HISTORY in April 2025 (Rome is UTC+2, open 07-11 and 12-16 UTC; 7 April is a Monday):
 * MailUp Standard tickets opened Monday 09:00 Rome, whose first-level resolution (due Monday 18:00) breached,
 * escalated Tuesday. The second level is due Thursday 10 April 18:00 Rome (16:00 UTC).
 */
type Row = [kind: string, at: string, data: Record<string, unknown>];
const breach = (at: string, level?: 'first' | 'second'): Row => ['breach', at, { clock: 'resolution', ...(level ? { level } : {}) }];
const FIRST_LEVEL_DUE = '2025-04-07T16:00:00Z';
const SECOND_LEVEL_DUE = '2025-04-10T16:00:00Z';

async function insertEscalatedHistory(): Promise<void> {
  const opened = '2025-04-07T07:00:00Z';
  const history = (resolvedAt: string, before: Row, after?: Row): Row[] => [
    ['opened', opened, { policyId: hoursId, policyVersion: 1, priority: 'normal', status: 'new' }],
    ['respond', '2025-04-07T07:30:00Z', { status: 'answered' }],
    before,
    ['escalate', '2025-04-08T10:00:00Z', { status: 'escalated' }],
    ...(after ? [after] : []),
    ['resolve', resolvedAt, { status: 'resolved' }],
  ];
  const histories: Record<string, Row[]> = {
    // Written before breaches named their level: the one before the escalation is the first level's.
    [`E1-${run}`]: history('2025-04-09T10:00:00Z', breach(FIRST_LEVEL_DUE)),
    [`E2-${run}`]: history('2025-04-11T08:00:00Z', breach(FIRST_LEVEL_DUE), breach(SECOND_LEVEL_DUE)),
    // Written since: each breach says which promise it was.
    [`E3-${run}`]: history('2025-04-09T14:00:00Z', breach(FIRST_LEVEL_DUE, 'first')),
    [`E4-${run}`]: history('2025-04-11T08:00:00Z', breach(FIRST_LEVEL_DUE, 'first'), breach(SECOND_LEVEL_DUE, 'second')),
  };
  await stack.db.db.insert(tickets).values(
    Object.keys(histories).map((id) => ({
      id,
      workflowId: `ticket-${id}`,
      customerId: customer,
      policyId: hoursId,
      policyVersion: 1,
      priority: 'normal',
      status: 'resolved',
      subject: `Escalated ${id}`,
      requesterEmail: 'ops@acme.test',
      openedAt: new Date(opened),
      updatedAt: new Date(opened),
    })),
  );
  await stack.db.db
    .insert(ticketEvents)
    .values(
      Object.entries(histories).flatMap(([ticketId, rows]) =>
        rows.map(([kind, at, data], i) => ({ ticketId, eventKey: i === 0 ? 'opened' : `${kind}:${i}`, kind, at: new Date(at), data })),
      ),
    );
}

describe('SLA report on escalated tickets (hand-inserted history)', () => {
  beforeAll(insertEscalatedHistory);

  it('judges second-level resolution by second-level breaches alone, on rows with and without a level', async () => {
    const res = await report(`from=2025-04-01T00:00:00Z&to=2025-04-15T00:00:00Z&groupBy=policy`).expect(200);
    expect(resolutionRows(res.body.rows)).toEqual([
      {
        group: hoursId,
        clock: 'resolution_second_level',
        count: 4,
        met: 2,
        breached: 2,
        pending: 0,
        percentMet: 50,
        // Monday 8 + Tuesday 8 + Wednesday 09-12 Rome = 19 working hours; to Wednesday 16:00, 22.
        p50Seconds: 19 * 3600,
        p90Seconds: 22 * 3600,
      },
    ]);
  });
});

describe('SLA report requests', () => {
  it.each([
    ['from=2025-03-10T00:00:00Z&to=2025-03-01T00:00:00Z', 'report_range_inverted'],
    ['from=2024-01-01T00:00:00Z&to=2025-03-01T00:00:00Z', 'report_range_too_long'],
    ['from=2025-03-01T00:00:00Z&to=2025-03-10T00:00:00Z&groupBy=team', 'unknown_group_by'],
    ['from=2025-03-01T00:00:00Z', 'validation_failed'],
  ])('refuses %s with 422 %s', async (q, code) => {
    const res = await stack.http.get(`/v1/reports/sla?${q}`).expect(422);
    expect(res.body.code).toBe(code);
  });

  it('is for staff and admins only', async () => {
    const q = '/v1/reports/sla?from=2025-03-01T00:00:00Z&to=2025-03-10T00:00:00Z';
    await authed(stack.app, await stack.key('customer', customer))
      .get(q)
      .expect(403);
    await authed(stack.app, await stack.key('staff'))
      .get(q)
      .expect(200);
  });
});
