import { ERROR_CODES } from './error-codes';
import { z } from 'zod';
import { isKnownZone } from '../domain/calendar/zone-offsets';

/** Pieces every router shares, so the same rule means the same thing (and the same OpenAPI) everywhere. */

// PostgreSQL refuses NUL in text, and a lone surrogate is not Unicode: either would poison a workflow
// whose write can then never succeed, so both stop at the boundary with a field-level 422.
const UNSTORABLE = /\u0000|\p{Cs}/u;
/** Any user-supplied text, possibly empty. */
export const anyText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !UNSTORABLE.test(s), 'must not contain NUL characters or unpaired surrogates');
/** User-supplied text that must say something. */
export const text = (max: number) => anyText(max).trim().min(1);
export const resourceId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected 1-64 letters, digits or dashes');
export const slugId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'expected 1-64 lowercase letters, digits, dots, dashes or underscores');
export const idParam = z.strictObject({ id: resourceId });
export const slugParam = z.strictObject({ id: slugId });
export const zone = z.string().max(64).refine(isKnownZone, 'unknown IANA time zone');
export const noQuery = z.strictObject({});

/** Instants an SLA engine can reason about: years of holidays get expanded around them. */
const MIN_INSTANT = Date.parse('2000-01-01T00:00:00Z');
const MAX_INSTANT = Date.parse('2100-01-01T00:00:00Z');
export const instant = z.iso.datetime({ offset: true }).refine((s) => {
  const ms = Date.parse(s);
  return Number.isFinite(ms) && ms >= MIN_INSTANT && ms < MAX_INSTANT;
}, 'expected an instant between 2000 and 2100');

export const isoString = z.string().meta({ format: 'date-time' });
export const nullableIso = isoString.nullable();

export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(ERROR_CODES).describe('Stable snake_case reason clients branch on; the README lists what each means.'),
    detail: z.string().describe('The human sentence.'),
    instance: z.string(),
    errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
