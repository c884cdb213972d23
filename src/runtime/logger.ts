import pino from 'pino';
import type { Config } from '../config';

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string) {
  return pino({ name, level: config.LOG_LEVEL });
}
