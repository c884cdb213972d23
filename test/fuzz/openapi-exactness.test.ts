import pino from 'pino';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/api/app';
import { anyText, instant, text, zone } from '../../src/api/schemas';
import { listTicketsQuery } from '../../src/api/ticket-schemas';

/**
 * What scripts/fuzz/run-schemathesis.ts relies on, checked without a stack: the served document's
 * links reach every action, successes carry the content type they are sent with, and the patterns the
 * document states accept exactly what the zod validators accept.
 */

interface Link {
  operationId: string;
  parameters: Record<string, string>;
}
interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; schema: { pattern?: string } }>;
  responses: Record<string, { content?: Record<string, unknown>; links?: Record<string, Link> }>;
}
type Spec = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

let spec: Spec;
const ops = () =>
  Object.entries(spec.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));

beforeAll(async () => {
  // Building the routes touches none of their dependencies; the document is served as in production.
  const app = createApp({
    client: {} as never,
    db: {} as never,
    policies: {} as never,
    contacts: { teamLeadEmail: 'lead@example.test', devTeamEmail: 'dev@example.test' },
    log: pino({ level: 'silent' }),
  });
  spec = (await request(app).get('/v1/openapi.json').expect(200)).body as Spec;
});

describe('OpenAPI links', () => {
  it.each(['/v1/tickets', '/v1/subscriptions'])('lead from POST %s (201, id) to every operation on the created object', (collection) => {
    const links = spec.paths[collection]?.post?.responses['201']?.links ?? {};
    const onObject = ops().filter(({ path }) => path === `${collection}/{id}` || path.startsWith(`${collection}/{id}/`));
    expect(onObject.length).toBeGreaterThan(5);
    expect(Object.values(links).map((l) => l.operationId)).toEqual(expect.arrayContaining(onObject.map(({ op }) => op.operationId)));
    for (const l of Object.values(links)) expect(l.parameters).toEqual({ id: '$response.body#/id' });
    // Each action leads on to the others on the same object, so a sequence can go open → respond → resolve → reopen.
    for (const { op } of onObject) {
      // Recording something on the object (time) answers 201 and leads on the same way.
      const next = Object.values((op.responses['200'] ?? op.responses['201'])?.links ?? {}).map((l) => l.operationId);
      expect(next.length, op.operationId).toBe(onObject.length - 1);
    }
  });

  it('name existing operations and fill exactly their path parameters', () => {
    const byId = new Map(ops().map((o) => [o.op.operationId, o]));
    let count = 0;
    for (const { op } of ops()) {
      for (const response of Object.values(op.responses)) {
        for (const l of Object.values(response.links ?? {})) {
          count++;
          const target = byId.get(l.operationId);
          expect(target, l.operationId).toBeDefined();
          const pathParams = (target?.op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
          expect(Object.keys(l.parameters).sort()).toEqual(pathParams.sort());
        }
      }
    }
    expect(count).toBeGreaterThan(100);
  });
});

describe('documented content types', () => {
  it('documents GET /metrics as Prometheus text, its refusals as problem+json', () => {
    const responses = spec.paths['/metrics']?.get?.responses ?? {};
    expect(Object.keys(responses['200']?.content ?? {})).toEqual(['text/plain']);
    expect(Object.keys(responses['403']?.content ?? {})).toEqual(['application/problem+json']);
  });

  it('documents no success as problem+json', () => {
    for (const { path, method, op } of ops()) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (Number(status) < 400)
          expect(Object.keys(r.content ?? {}), `${method} ${path} ${status}`).not.toContain('application/problem+json');
      }
    }
  });
});

/** The pattern the document states for a schema, as a JSON Schema validator reads it (ECMA-262, u flag). */
const patternOf = (schema: z.ZodType) => new RegExp((z.toJSONSchema(schema, { io: 'input' }) as { pattern: string }).pattern, 'u');

describe('documented patterns agree with the validators', () => {
  const samples = [
    '',
    'a',
    ' a ',
    ' ',
    '\t\n',
    '\u00a0',
    '\u2003',
    '\ufeff',
    '\u200b',
    '\u0085',
    '\u001c',
    'x\u0000y',
    '\u0000',
    'día',
    '🙂',
    '\u3000\u3000',
  ];

  it.each(samples.map((s) => [JSON.stringify(s), s]))('text() and anyText() on %s', (_name, s) => {
    expect(patternOf(text(100)).test(s)).toBe(text(100).safeParse(s).success);
    expect(patternOf(anyText(100)).test(s)).toBe(anyText(100).safeParse(s).success);
  });

  it('limit: every string of up to three digits', () => {
    const limit = listTicketsQuery.shape.limit;
    const params = (z.toJSONSchema(listTicketsQuery, { io: 'input' }) as { properties: Record<string, { pattern: string }> }).properties;
    const pattern = new RegExp(params.limit?.pattern ?? '', 'u');
    for (let digits = 1; digits <= 4; digits++) {
      for (let n = 0; n < 10 ** digits; n++) {
        const s = String(n).padStart(digits, '0');
        expect(pattern.test(s), s).toBe(limit.safeParse(s).success);
      }
    }
  });

  it('instant: UTC instants between 1999 and 2101, leap days and malformed times', () => {
    const pattern = patternOf(instant);
    const cases = [
      '2020-02-29T00:00:00Z',
      '2021-02-29T00:00:00Z',
      '2000-02-29T12:00:00.5+02:00',
      '2024-13-01T00:00:00Z',
      '2024-01-01T24:00:00Z',
    ];
    for (let y = 1999; y <= 2101; y++) cases.push(`${y}-06-30T23:59:59.999Z`, `${y}-01-01T00:00:00Z`);
    for (const s of cases) expect(pattern.test(s), s).toBe(instant.safeParse(s).success);
  });

  it('zone: every documented name is accepted', () => {
    const documented = (spec.components.schemas.TimeZone as { enum: string[] }).enum;
    expect(documented).toContain('UTC');
    expect(documented).toContain('Europe/Rome');
    for (const name of documented) expect(zone.safeParse(name).success, name).toBe(true);
  });

  it('Idempotency-Key: 1-255 visible ASCII characters', () => {
    const header = spec.paths['/v1/tickets']?.post?.parameters?.find((p) => p.name === 'Idempotency-Key');
    const pattern = new RegExp(header?.schema.pattern ?? '', 'u');
    for (let c = 0; c < 256; c++) expect(pattern.test(String.fromCharCode(c)), `char ${c}`).toBe(c >= 0x21 && c <= 0x7e);
    expect(pattern.test('k'.repeat(255))).toBe(true);
    expect(pattern.test('k'.repeat(256))).toBe(false);
  });
});
