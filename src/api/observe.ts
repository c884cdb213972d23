import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { HttpMetrics } from './metrics';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One log line and one metric sample per request. The route is the matched pattern, never the raw
 * path, so ids do not explode the metric's cardinality; a caller's X-Request-Id is kept when sane.
 */
export function observe(log: Logger, metrics: HttpMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (res.locals.route as string | undefined) ?? 'unmatched';
      metrics.observe(req.method, route, res.statusCode, seconds);
      const line = {
        requestId,
        method: req.method,
        route,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(seconds * 10_000) / 10,
        ...(res.locals.keyId ? { keyId: res.locals.keyId as string } : {}),
        ...(res.locals.logFields as Record<string, string> | undefined),
      };
      if (res.statusCode >= 500) log.error(line, 'request');
      else log.info(line, 'request');
    });
    next();
  };
}
