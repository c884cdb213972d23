import { ERROR_CODES } from './error-codes';
import { z } from 'zod';
import { isKnownZone } from '../domain/calendar/zone-offsets';

/** Pieces every router shares, so the same rule means the same thing (and the same OpenAPI) everywhere. */

// PostgreSQL refuses NUL in text, and a lone surrogate is not Unicode: either would poison a workflow
// whose write can then never succeed, so both stop at the boundary with a field-level 422.
const UNSTORABLE = /\u0000|\p{Cs}/u;
// The same rules spelled as JSON Schema patterns, so the document promises what the validator accepts:
// no NUL, and for `text` at least one character that String.prototype.trim keeps (its whitespace set is
// written out, as `\s` differs between regex engines). Lone surrogates are left unsaid: they are not
// Unicode scalar values, so no JSON Schema string holds one and most regex engines cannot name them.
const TRIMMED_SPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const ANY_TEXT_PATTERN = '^[^\\u0000]*$';
const TEXT_PATTERN = `^[^\\u0000]*[^\\u0000${TRIMMED_SPACE}][^\\u0000]*$`;
/** Any user-supplied text, possibly empty. */
export const anyText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !UNSTORABLE.test(s), 'must not contain NUL characters or unpaired surrogates')
    .meta({ pattern: ANY_TEXT_PATTERN });
/** User-supplied text that must say something. */
export const text = (max: number) => anyText(max).trim().min(1).meta({ pattern: TEXT_PATTERN });
export const resourceId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected 1-64 letters, digits or dashes');
export const slugId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'expected 1-64 lowercase letters, digits, dots, dashes or underscores');
export const idParam = z.strictObject({ id: resourceId });
export const slugParam = z.strictObject({ id: slugId });
/**
 * Documented as the runtime's canonical IANA names (plus UTC), all of which isKnownZone accepts; the
 * validator also takes aliases ("US/Eastern") and any letter case, which the document leaves unsaid.
 */
const KNOWN_ZONES = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])].filter((z) => z.length <= 64 && isKnownZone(z)).sort();
export const zone = z
  .string()
  .max(64)
  .refine(isKnownZone, 'unknown IANA time zone')
  .meta({ id: 'TimeZone', description: 'An IANA time zone name.', enum: KNOWN_ZONES });
export const noQuery = z.strictObject({});

/** Instants an SLA engine can reason about: years of holidays get expanded around them. */
const MIN_INSTANT = Date.parse('2000-01-01T00:00:00Z');
const MAX_INSTANT = Date.parse('2100-01-01T00:00:00Z');
// zod's own date-time pattern with the year held to 20xx; only an offset that carries 2000-01-01 or
// 2099-12-31 across the bound makes the validator stricter than this.
const TIME = 'T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])';
const DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))';
const INSTANT_PATTERN = `^(?:20[0-9][0-9]-${DAY}|20(?:[02468][048]|[13579][26])-02-29)${TIME}$`;
export const instant = z.iso
  .datetime({ offset: true })
  .refine((s) => {
    const ms = Date.parse(s);
    return Number.isFinite(ms) && ms >= MIN_INSTANT && ms < MAX_INSTANT;
  }, 'expected an instant between 2000 and 2100')
  .meta({ pattern: INSTANT_PATTERN, description: 'An ISO 8601 instant with an offset, between 2000 and 2100.' });

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
