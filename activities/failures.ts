import { ApplicationFailure } from '@temporalio/activity';
import { safeError, type SafeError } from '../src/runtime/safe-error';

import { DATA_REFUSED, MAIL_REFUSED } from '../workflows/failure-types';

function find(e: SafeError | undefined, pick: (e: SafeError) => string | undefined): string | undefined {
  for (let cur = e; cur; cur = cur.cause) {
    const v = pick(cur);
    if (v !== undefined) return v;
  }
  return undefined;
}

const sqlState = (e: SafeError) => find(e, (x) => (x.code && /^[0-9A-Z]{5}$/.test(x.code) ? x.code : undefined));

// SQLSTATE class 22 (data exception: NUL bytes, out-of-range values), 23502 not-null, 23514 check
// violation: the same row is refused on every attempt. Connection loss (08), serialization (40001),
// shutdown (57P01) and the rest heal, so they retry.
const PERMANENT_SQL = /^(22|23502|23514)/;

/** An SMTP reply of 5xx to the message itself (a refused recipient or content) does not heal either. */
function smtpCode(err: unknown): number | undefined {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Every activity's errors, classified once: permanent ones become non-retryable failures the workflow
 * records for an operator; transient ones retry. Either way the message carries codes, never the SQL
 * text or its parameters, so neither the history nor a log line holds customers' data.
 */
export function classify(activity: string, err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const safe = safeError(err);
  const state = sqlState(safe);
  const smtp = smtpCode(err);
  const detail = `${activity}: ${safe.message}${state ? ` (SQLSTATE ${state})` : ''}${smtp ? ` (SMTP ${smtp})` : ''}`;
  if (state && PERMANENT_SQL.test(state)) return ApplicationFailure.nonRetryable(detail, DATA_REFUSED, { sqlState: state });
  if (smtp !== undefined && smtp >= 500 && smtp < 600) return ApplicationFailure.nonRetryable(detail, MAIL_REFUSED, { smtp });
  return ApplicationFailure.retryable(detail, safe.type);
}

/** Wraps each activity of a factory's result so its failures are classified. */
export function classified<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    out[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw classify(name, err);
      }
    };
  }
  return out as T;
}
