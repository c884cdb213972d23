import type { NextFunction, Request, Response } from 'express';
import { Problem, sendProblem } from './problem';

/**
 * No request hangs on a dependency that is down: PostgreSQL's driver waits for its reconnect backoff
 * and Temporal calls wait for the server, so past `ms` the caller gets a 503 with Retry-After. Work
 * already under way may still finish; Idempotency-Key retries make it safe to ask again.
 */
export function requestDeadline(ms: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      sendProblem(
        req,
        res,
        new Problem(503, 'dependency_timeout', `No answer within ${ms} ms; a backing service is slow or down. Retry shortly.`, undefined, {
          'Retry-After': '5',
        }),
      );
    }, ms);
    timer.unref();
    res.on('close', () => clearTimeout(timer));
    next();
  };
}
