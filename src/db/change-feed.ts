import postgres from 'postgres';

/** The channel drizzle/0007_change_feed.sql's triggers announce on, as `<table>:<id>`. */
export const CHANGES_CHANNEL = 'supportflow_changes';

/**
 * What is announced: a row of `customers`, `api_keys` or `resellers` by its id, and `coverage` by customer
 * id for any change to that customer's subscriptions or entitlement periods
 * (drizzle/0008_coverage_change_feed.sql; resellers since 0009).
 */
export const CHANGED_TABLES = ['customers', 'api_keys', 'resellers', 'coverage'] as const;
export type ChangedTable = (typeof CHANGED_TABLES)[number];

/** A change to one row (`id`), or to anything in the table (undefined: the feed lost track). */
export type ChangeListener = (id: string | undefined) => void;

export interface ChangeFeed {
  /** True while every committed change reaches this process: a cache may answer only then. */
  readonly live: boolean;
  /** Bumped by each change to the table and whenever the feed goes down or comes back. */
  epoch(table: ChangedTable): number;
  subscribe(table: ChangedTable, fn: ChangeListener): void;
  /**
   * A change this process committed, applied at once: its own notification arrives a moment later, and
   * the request that made the change may read the row again before then (a quote accepted, then the
   * ticket it pays for opened on the new contract).
   */
  changed(table: ChangedTable, id: string): void;
  stop(): Promise<void>;
}

const RETRY_MS = [250, 1_000, 5_000];

/**
 * LISTENs on a connection of its own and tells subscribers of every change the triggers announce, from
 * any process. It starts down and comes up once LISTEN is in place; a lost connection takes it down
 * (subscribers drop everything) until LISTEN is in place again, since notifications sent meanwhile are lost.
 */
export function startChangeFeed(url: string, onState?: (live: boolean, err?: unknown) => void): ChangeFeed {
  const listeners = new Map<ChangedTable, Set<ChangeListener>>(CHANGED_TABLES.map((t) => [t, new Set()]));
  const epochs = new Map<ChangedTable, number>(CHANGED_TABLES.map((t) => [t, 0]));
  let live = false;
  let stopped = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  const emit = (table: ChangedTable, id: string | undefined) => {
    epochs.set(table, (epochs.get(table) ?? 0) + 1);
    for (const fn of listeners.get(table) ?? []) fn(id);
  };
  const everything = () => CHANGED_TABLES.forEach((t) => emit(t, undefined));
  const isTable = (t: string): t is ChangedTable => (CHANGED_TABLES as readonly string[]).includes(t);

  // postgres.js honours `onnotify` (its own sql.listen uses it) but leaves it out of its types; its
  // sql.listen would hide the connection's loss, which is what takes the feed down.
  const options: postgres.Options<Record<string, postgres.PostgresType>> & { onnotify: (channel: string, payload: string) => void } = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    onnotify: (channel, payload) => {
      if (channel !== CHANGES_CHANNEL) return;
      const colon = payload.indexOf(':');
      const table = payload.slice(0, colon);
      if (colon > 0 && isTable(table)) emit(table, payload.slice(colon + 1));
    },
    onclose: () => {
      if (stopped) return;
      if (live) {
        live = false;
        everything();
        onState?.(false);
      }
      schedule();
    },
  };
  const sql = postgres(url, options);

  const schedule = () => {
    if (stopped || retry) return;
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 5_000;
    attempt += 1;
    retry = setTimeout(() => {
      retry = undefined;
      void listen();
    }, delay);
    retry.unref();
  };

  const listen = async () => {
    try {
      await sql.unsafe(`listen "${CHANGES_CHANNEL}"`);
      if (stopped) return;
      attempt = 0;
      // Whatever was cached before this connection listened may have changed unannounced.
      everything();
      live = true;
      onState?.(true);
    } catch (err) {
      if (stopped) return;
      onState?.(false, err);
      schedule();
    }
  };
  void listen();

  return {
    get live() {
      return live;
    },
    epoch: (table) => epochs.get(table) ?? 0,
    subscribe(table, fn) {
      listeners.get(table)?.add(fn);
    },
    changed: (table, id) => emit(table, id),
    async stop() {
      stopped = true;
      live = false;
      if (retry) clearTimeout(retry);
      await sql.end({ timeout: 1 });
    },
  };
}
