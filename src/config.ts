import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every setting the processes read, validated once at start; see .env.example for what each one means. */
const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_START_DEV_SERVER: bool.default(true),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(2525),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_START_SINK: bool.default(true),
  MAIL_FROM: z.string().default('Support <support@supportflow.local>'),
  /** Domain of every Message-ID the product mints; a ticket's thread is keyed by it, so keep it stable. */
  MAIL_DOMAIN: z.string().min(1).default('supportflow.local'),
  /** Inbound SMTP for customers' replies (the Reply-To of every ticket mail); unset: the API process listens for none. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  MAIL_SINK_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(8025),
  TEAM_LEAD_EMAIL: z.string().email().default('team-lead@supportflow.local'),
  DEV_TEAM_EMAIL: z.string().email().default('development@supportflow.local'),
  API_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  API_HOST: z.string().default('127.0.0.1'),
  ADMIN_API_KEY: z
    .string()
    .min(32)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII only')
    .optional(),
  /** A request still unanswered after this gets 503 + Retry-After instead of hanging on a dead dependency. */
  API_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(4_000),
  /** Workflows kept in the worker's cache; evicted ones are replayed from history when they wake. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).default(500),
  /**
   * Workflow tasks a worker holds at once. A held task's clock has started, and a timer it arms counts
   * from when the task completes, so tasks queued inside a busy worker arm their deadlines late. A task
   * also holds its slot while its commit runs as a local activity (issue 16): 4 capped ticket openings
   * at ~26/s end to end on 2 cores, 16 reached ~40/s with breaches still p99 ≤ 0.5 s (bench/README.md).
   */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1_000).default(16),
  /**
   * A workflow bundle built ahead (`npm run bundle`, the image does it): a worker starts in about a second
   * instead of spending ~10 s of CPU bundling workflows/ itself, which matters when N replicas start at once.
   */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /** Signs staff console sessions; without it each process signs with its own random key (sessions end at restart). */
  CONSOLE_SESSION_SECRET: z.string().min(32).max(200).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /**
   * API keys, customers and their subscription coverage are served from memory while the change feed
   * (LISTEN/NOTIFY) is live, each dropped when any process changes it; this bounds a copy's age should
   * the feed's connection die unnoticed. 0 reads them from PostgreSQL on every request. Not with
   * embedded PGlite (one connection).
   */
  API_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
