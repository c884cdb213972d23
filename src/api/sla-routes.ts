import { z } from 'zod';
import { previewDeadlines, PRIORITIES, supportedPriorities } from '../domain/ticket/index';
import type { CalendarStore } from '../tickets/calendar-store';
import type { PolicyStore } from '../tickets/policy-store';
import { checkPolicy, policyInputSchema } from './policy-input';
import { Problem } from './problem';
import type { Api } from './route';
import { instant, slugId, zone } from './schemas';

const previewBody = z
  .strictObject({
    policyId: slugId.optional(),
    policy: policyInputSchema.optional().describe('An inline policy to try before storing it.'),
    priority: z.enum(PRIORITIES).optional().describe("Defaults to the policy's default priority."),
    openedAt: instant,
    zone: zone.optional().describe("Zone of the human-readable texts; the policy's zone by default."),
    includePhoneCallback: z.boolean().optional(),
  })
  .refine((b) => (b.policyId === undefined) !== (b.policy === undefined), {
    message: 'give exactly one of policyId and policy',
    path: ['policyId'],
  })
  .meta({ id: 'SlaPreviewRequest', oneOf: [{ required: ['policyId'] }, { required: ['policy'] }] });

const previewSchema = z
  .strictObject({
    policy: z.string().describe('id@version'),
    priority: z.enum(PRIORITIES),
    openedAt: z.string(),
    zone: z.string(),
    deadlines: z.array(
      z.strictObject({
        kind: z.string(),
        dueAt: z.string(),
        text: z.string(),
        target: z.strictObject({ ms: z.number(), clock: z.enum(['business', 'wall']) }),
      }),
    ),
  })
  .meta({ id: 'SlaPreview' });

export function slaRoutes(api: Api, deps: { policies: PolicyStore; calendars: CalendarStore }): void {
  api.route({
    method: 'post',
    path: '/v1/sla/preview',
    tag: 'SLA',
    summary: 'Preview deadlines',
    description: 'Every deadline a ticket opened at `openedAt` would get if nothing else happened (no pauses, no priority change).',
    roles: ['customer', 'reseller', 'staff', 'admin'],
    body: previewBody,
    responses: { 200: { description: 'The deadlines, earliest kinds first.', schema: previewSchema } },
    async handler({ body }) {
      let policy;
      let calendars;
      if (body.policy) {
        ({ policy, calendars } = await checkPolicy(deps, body.policy, body.policy.id ?? 'inline', body.policy.version ?? 1, 'body.policy'));
      } else {
        policy = await deps.policies.get(body.policyId ?? '');
        if (!policy)
          throw new Problem(422, 'unknown_policy', `No support policy "${body.policyId}".`, [
            { path: 'body.policyId', message: 'unknown policy' },
          ]);
        const spec = await deps.calendars.get(policy.calendarId);
        calendars = spec ? { [policy.calendarId]: spec } : {};
      }
      const priority = body.priority ?? policy.defaultPriority;
      if (!supportedPriorities(policy).includes(priority)) {
        throw new Problem(422, 'unsupported_priority', `${policy.name} offers ${supportedPriorities(policy).join(', ')}.`, [
          { path: 'body.priority', message: 'not offered by this policy' },
        ]);
      }
      const calendar = calendars[policy.calendarId];
      const schedule = previewDeadlines(policy, priority, Date.parse(body.openedAt), {
        ...(body.zone ? { zone: body.zone } : {}),
        ...(calendar ? { calendar } : {}),
        ...(body.includePhoneCallback ? { includePhoneCallback: true } : {}),
      });
      return {
        status: 200,
        body: {
          policy: schedule.policy,
          priority,
          openedAt: schedule.openedIso,
          zone: schedule.zone,
          deadlines: schedule.items.map((i) => ({ kind: i.kind, dueAt: i.dueIso, text: i.text, target: i.target })),
        },
      };
    },
  });
}
