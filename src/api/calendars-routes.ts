import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { calendars } from '../db/schema';
import { calendarPresets, calendarSpecSchema, nextOpen, validateCalendar, type CalendarSpec } from '../domain/calendar/index';

const TWO_YEARS_MS = 2 * 365.25 * 86_400_000;
import { notFound, Problem } from './problem';
import { pinnedPolicy } from './policies-routes';
import { openTicketPins, recomputeSchema, recomputeTickets, type PolicyChange } from './recompute';
import type { Api } from './route';
import { slugParam } from './schemas';

export interface CalendarRoutesDeps {
  client: Client;
  db: Db;
}

const ALL = ['customer', 'reseller', 'staff', 'admin'] as const;
const calendarSchema = z
  .looseObject({ id: z.string(), timeZone: z.string(), source: z.enum(['preset', 'stored']) })
  .meta({ id: 'Calendar' });
const listSchema = z
  .strictObject({
    items: z.array(
      z.strictObject({ id: z.string(), name: z.string().nullable(), timeZone: z.string(), source: z.enum(['preset', 'stored']) }),
    ),
  })
  .meta({ id: 'CalendarList' });
const calendarInput = calendarSpecSchema.meta({ id: 'CalendarInput' });
const putResult = z.strictObject({ calendar: calendarSchema, recomputed: recomputeSchema }).meta({ id: 'CalendarChangeResult' });

export function calendarRoutes(api: Api, deps: CalendarRoutesDeps): void {
  api.route({
    method: 'get',
    path: '/v1/calendars',
    tag: 'Calendars',
    summary: 'List business-hours calendars',
    roles: ALL,
    responses: { 200: { description: 'Presets and stored calendars.', schema: listSchema } },
    async handler() {
      const rows = await deps.db.select().from(calendars).orderBy(calendars.id);
      const items = [
        ...Object.entries(calendarPresets).map(([id, c]) => ({
          id,
          name: c.name ?? null,
          timeZone: c.timeZone,
          source: 'preset' as const,
        })),
        ...rows.map((r) => {
          const c = r.spec as unknown as CalendarSpec;
          return { id: r.id, name: c.name ?? null, timeZone: c.timeZone, source: 'stored' as const };
        }),
      ].sort((a, b) => a.id.localeCompare(b.id));
      return { status: 200, body: { items } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/calendars/:id',
    tag: 'Calendars',
    summary: 'Read a calendar',
    roles: ALL,
    params: slugParam,
    responses: { 200: { description: 'The calendar.', schema: calendarSchema } },
    async handler({ params: { id } }) {
      const preset = calendarPresets[id];
      if (preset) return { status: 200, body: { ...preset, id, source: 'preset' } };
      const [row] = await deps.db.select().from(calendars).where(eq(calendars.id, id));
      if (!row) throw notFound(`Calendar ${id}`);
      return { status: 200, body: { ...row.spec, id, source: 'stored' } };
    },
  });

  api.route({
    method: 'put',
    path: '/v1/calendars/:id',
    tag: 'Calendars',
    summary: 'Store a calendar',
    description:
      'Creates or replaces a custom calendar (preset ids are read-only), then recomputes every open ticket whose pinned policy uses it. Idempotent: the same calendar again re-runs only the recomputation, deduplicated by Temporal.',
    roles: ['admin'],
    params: slugParam,
    body: calendarInput,
    responses: { 200: { description: 'Stored; open tickets recomputed.', schema: putResult }, 409: { description: 'A preset id.' } },
    async handler({ params: { id }, body, annotate }) {
      if (calendarPresets[id])
        throw new Problem(409, 'preset_calendar', `Calendar ${id} is a built-in preset and cannot be replaced; store it under another id.`);
      if (body.id !== undefined && body.id !== id)
        throw new Problem(422, 'validation_failed', 'The request body is invalid.', [
          { path: 'body.id', message: `must be ${id} (the path)` },
        ]);
      const checked = validateCalendar({ ...body, id });
      if (!checked.ok)
        throw new Problem(
          422,
          'invalid_calendar',
          'The calendar is invalid.',
          checked.errors.map((e) => ({ path: `body.${e.path}`, message: e.message })),
        );
      const spec = checked.calendar;
      // A calendar that never opens would give every ticket on it a promise of nothing.
      const opens = nextOpen(spec, Date.now());
      if (!Number.isFinite(opens) || opens - Date.now() > TWO_YEARS_MS)
        throw new Problem(422, 'invalid_calendar', 'The calendar is never open.', [
          { path: 'body', message: 'no open time within the next two years' },
        ]);
      const json = spec as unknown as Record<string, unknown>;
      await deps.db
        .insert(calendars)
        .values({ id, spec: json })
        .onConflictDoUpdate({ target: calendars.id, set: { spec: json, updatedAt: sql`now()` } });
      annotate({ calendarId: id });

      const changes: PolicyChange[] = [];
      const pinned = new Map<string, Awaited<ReturnType<typeof pinnedPolicy>>>();
      for (const t of await openTicketPins(deps.db)) {
        const ref = `${t.policyId}@${t.policyVersion}`;
        if (!pinned.has(ref)) pinned.set(ref, await pinnedPolicy(deps.db, t.policyId, t.policyVersion));
        const policy = pinned.get(ref);
        if (policy?.calendarId === id) changes.push({ ticketId: t.id, policy, calendars: { [id]: spec } });
      }
      const version = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
      const recomputed = await recomputeTickets(deps.client, changes, `calendar:${id}:${version}`);
      return { status: 200, body: { calendar: { ...spec, id, source: 'stored' }, recomputed } };
    },
  });
}
