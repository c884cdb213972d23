import type { Response } from 'express';
import { Problem } from './problem';

export interface RateLimiter {
  /** Spends one token of the key's bucket or throws 429 with the seconds until the next one. */
  take(keyId: string, res: Response): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per API key, in this process's memory: a burst of `perMinute` then `perMinute` a
 * minute. Behind several API processes each enforces its own share; good enough against a runaway client.
 */
export function tokenBucketLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  return {
    take(keyId, res) {
      const t = now();
      const b = buckets.get(keyId) ?? { tokens: perMinute, at: t };
      b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.set(keyId, b);
      res.setHeader('RateLimit-Limit', String(perMinute));
      if (b.tokens < 1) {
        const retry = Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
        res.setHeader('RateLimit-Remaining', '0');
        throw new Problem(429, 'rate_limited', `More than ${perMinute} requests a minute with this key.`, undefined, {
          'Retry-After': String(retry),
        });
      }
      b.tokens -= 1;
      res.setHeader('RateLimit-Remaining', String(Math.floor(b.tokens)));
    },
  };
}
