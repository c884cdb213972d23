import type { NextFunction, Request, Response } from 'express';
import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ZodError } from 'zod';
import { DomainError, type FieldError } from '../domain/errors';
import { errorCodes, isErrorCode, type ErrorCode } from './error-codes';

export type { FieldError } from '../domain/errors';

/** RFC 9457 problem details; `code` and `errors` are the machine-readable parts clients branch on. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
    /** RFC 9457 extension members: what the client can do next (a quote to accept). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

export const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export type Where = 'body' | 'query' | 'params' | 'headers';

export function fromZod(err: ZodError, where: Where): Problem {
  const errors = err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  return new Problem(422, 'validation_failed', `The request ${where} is invalid.`, errors);
}

export const notFound = (what: string) => new Problem(404, 'not_found', `${what} does not exist.`);

// gRPC codes that mean "the server could not answer now", not "your request is wrong".
// CANCELLED: the channel dropped the call (the server restarting), not the client giving up.
const GRPC_UNAVAILABLE = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);
const NET_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN|CONNECT_TIMEOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED)$/;
// SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (operator intervention: shutdown),
// and 25006: the database refuses writes for now (read-only after its storage filled up).
const PG_UNAVAILABLE = /^(08|53|57P|25006)/;

/** Walks the cause chain (drizzle and the Temporal client both wrap the transport's error). */
function isUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'number' && (err instanceof ServiceError || 'details' in err) && GRPC_UNAVAILABLE.has(e.code)) return true;
  if (typeof e.code === 'string' && (NET_CODES.test(e.code) || PG_UNAVAILABLE.test(e.code))) return true;
  // An AggregateError carries one connection failure per resolved address.
  if (Array.isArray(e.errors) && e.errors.some((x) => isUnavailable(x, depth + 1))) return true;
  return isUnavailable(e.cause, depth + 1);
}

const retryLater = () =>
  new Problem(503, 'dependency_unavailable', 'A backing service is unavailable; retry shortly.', undefined, { 'Retry-After': '5' });

/** Maps Temporal, database and body-parser failures to honest statuses: a client's mistake is never a 500. */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof WorkflowNotFoundError) return notFound('The resource');
  // Express decodes path parameters lazily; a malformed percent-encoding is the client's mistake.
  if (err instanceof URIError) return new Problem(400, 'malformed_path', 'The request path is not valid percent-encoded UTF-8.');
  if (err instanceof DomainError)
    return new Problem(errorCodes[err.code].status, err.code, err.message, err.errors, err.headers, err.extensions);
  // A workflow's refusal: its failure type is the domain's code (workflows/failures.ts).
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && isErrorCode(err.cause.type)) {
    return new Problem(errorCodes[err.cause.type].status, err.cause.type, err.cause.message);
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) return new Problem(409, 'already_exists', 'The resource already exists.');
  const body = err as { type?: string; status?: number; expose?: boolean };
  if (body.type === 'entity.parse.failed') return new Problem(400, 'malformed_json', 'The request body is not valid JSON.');
  if (body.type === 'entity.too.large') return new Problem(413, 'payload_too_large', 'The request body is too large.');
  if (body.type === 'encoding.unsupported' || body.type === 'charset.unsupported') {
    return new Problem(415, 'unsupported_encoding', 'Unsupported body encoding.');
  }
  if (body.expose && typeof body.status === 'number' && body.status >= 400 && body.status < 500) {
    return new Problem(body.status, 'bad_request', 'The request could not be read.');
  }
  if (isUnavailable(err)) return retryLater();
  return new Problem(500, 'internal', 'Internal error.');
}

export function sendProblem(req: Request, res: Response, p: Problem): void {
  for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: `https://supportflow.dev/problems/${p.code}`,
      title: titles[p.status] ?? 'Error',
      status: p.status,
      code: p.code,
      detail: p.detail,
      instance: req.originalUrl,
      ...(p.errors ? { errors: p.errors } : {}),
      ...p.extensions,
    });
}

export function problemHandler(log: (err: unknown, status: number, requestId: string | undefined) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const p = toProblem(err);
    log(err, p.status, res.locals.requestId as string | undefined);
    if (res.headersSent) return;
    sendProblem(req, res, p);
  };
}
