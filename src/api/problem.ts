import type { NextFunction, Request, Response } from 'express';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ZodError } from 'zod';

/** RFC 9457 problem details; `code` and `errors` are the machine-readable parts clients branch on. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: Array<{ path: string; message: string }>,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

export function fromZod(err: ZodError, where: 'body' | 'query' | 'params'): Problem {
  const errors = err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  return new Problem(422, 'validation_failed', `The request ${where} is invalid.`, errors);
}

function isUnavailable(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message} ${String((err as { code?: unknown }).code ?? '')}` : '';
  return err instanceof ServiceError || /ECONNREFUSED|ETIMEDOUT|UNAVAILABLE|CONNECT_TIMEOUT|DEADLINE_EXCEEDED|connection/i.test(text);
}

/** Maps Temporal and database failures to honest statuses: a client's mistake is never a 500. */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof WorkflowNotFoundError) return new Problem(404, 'not_found', 'No such resource.');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return new Problem(409, err.cause.type ?? 'conflict', err.cause.message);
  }
  const body = err as { type?: string; status?: number };
  if (body.type === 'entity.parse.failed') return new Problem(400, 'malformed_json', 'The request body is not valid JSON.');
  if (body.type === 'entity.too.large') return new Problem(413, 'payload_too_large', 'The request body is too large.');
  if (body.type === 'encoding.unsupported' || body.type === 'charset.unsupported') {
    return new Problem(415, 'unsupported_encoding', 'Unsupported body encoding.');
  }
  if (isUnavailable(err)) return new Problem(503, 'dependency_unavailable', 'A backing service is unavailable; retry shortly.', undefined, { 'Retry-After': '5' });
  return new Problem(500, 'internal', 'Internal error.');
}

export function problemHandler(log: (err: unknown, status: number) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const p = toProblem(err);
    log(err, p.status);
    for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
    res
      .status(p.status)
      .type('application/problem+json')
      .json({ type: `https://supportflow.dev/problems/${p.code}`, title: titles[p.status] ?? 'Error', status: p.status, code: p.code, detail: p.detail, instance: req.originalUrl, ...(p.errors ? { errors: p.errors } : {}) });
  };
}
