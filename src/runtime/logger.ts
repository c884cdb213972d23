import pino from 'pino';
import type { Config } from '../config';
import { safeError } from './safe-error';

/** Secrets and personal data never reach a log line, whatever a caller passes. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.email',
  '*.requesterEmail',
  '*.assigneeEmail',
  '*.contactEmail',
  '*.body',
  '*.keyHash',
];

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string, destination?: pino.DestinationStream) {
  const options = { name, level: config.LOG_LEVEL, redact: { paths: REDACT, censor: '[redacted]' }, serializers: { err: safeError } };
  return destination ? pino(options, destination) : pino(options);
}
