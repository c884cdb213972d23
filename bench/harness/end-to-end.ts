import { summarize, type Summary } from './stats';

export interface EndToEndRun {
  completed: number;
  failures: number;
  firstError: string | undefined;
  /** From the first start request to the last arrival. */
  wallMs: number;
  perSecond: number;
  /** Start request to arrival (row committed, email received). */
  latencyMs: Summary;
  /** Start request to its answer: the part of the latency the caller waits for. */
  startLatencyMs: Summary;
}

/** One block's run with its samples, so that blocks of one side run apart in time can be merged. */
export interface EndToEndBlock extends EndToEndRun {
  samples: { latencies: number[]; startLatencies: number[] };
}

export interface EndToEndOptions {
  total: number;
  concurrency: number;
  key(i: number): string;
  /** Starts item `i` under `key`, the name its arrival is polled by. */
  start(key: string, i: number): Promise<void>;
  /** Arrival instants (epoch ms, taken where the work lands) of those `pending` keys that have arrived. */
  poll(pending: string[]): Promise<Map<string, number>>;
  timeoutMs: number;
  pollMs?: number;
  /** Settles when the process doing the work dies: every wait ends at once instead of timing out. */
  abort?: Promise<unknown>;
}

interface Waiter {
  deadline: number;
  resolve(at: number): void;
  reject(err: Error): void;
}

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/**
 * At most `concurrency` items in flight from start request to arrival: a lane starts its next item only
 * once the last one landed, so the rate is what the whole path sustains and the latency is not a backlog.
 * The arrival instant comes from where the work lands (the row's clock, the SMTP server's), so the poll
 * interval only delays the next start, equally for every side.
 */
export async function runEndToEnd(o: EndToEndOptions): Promise<EndToEndBlock> {
  const pollMs = o.pollMs ?? 20;
  const waiting = new Map<string, Waiter>();
  const latencies: number[] = [];
  const startLatencies: number[] = [];
  let failures = 0;
  let firstError: unknown;
  let aborted: Error | undefined;
  let running = true;
  let next = 0;
  let lastArrival = 0;
  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  void o.abort?.then((why) => {
    aborted = new Error(`the worker exited (${String(why)})`);
    failAll(aborted);
  });
  const poller = (async () => {
    while (running) {
      if (waiting.size) {
        try {
          for (const [k, at] of await o.poll([...waiting.keys()])) {
            waiting.get(k)?.resolve(at);
            waiting.delete(k);
          }
        } catch (err) {
          failAll(err instanceof Error ? err : new Error(String(err)));
        }
        const now = Date.now();
        for (const [k, w] of waiting)
          if (now > w.deadline) {
            w.reject(new Error(`${k} did not arrive within ${o.timeoutMs} ms`));
            waiting.delete(k);
          }
      }
      await sleep(pollMs);
    }
  })();
  const started = Date.now();
  const lane = async () => {
    for (let i = next++; i < o.total && !aborted; i = next++) {
      const key = o.key(i);
      const t0 = Date.now();
      const arrived = new Promise<number>((resolve, reject) => waiting.set(key, { deadline: t0 + o.timeoutMs, resolve, reject }));
      // A failed start leaves its wait to be dropped; the rejection must not surface as unhandled.
      arrived.catch(() => {});
      try {
        await o.start(key, i);
        startLatencies.push(Date.now() - t0);
        const at = await arrived;
        latencies.push(at - t0);
        lastArrival = Math.max(lastArrival, at);
      } catch (err) {
        waiting.delete(key);
        failures += 1;
        firstError ??= err;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, o.total) }, lane));
  } finally {
    running = false;
    await poller;
  }
  if (aborted) throw aborted;
  const wallMs = Math.max(1, (lastArrival || Date.now()) - started);
  return {
    completed: latencies.length,
    failures,
    firstError: firstError === undefined ? undefined : String(firstError),
    wallMs,
    perSecond: (latencies.length / wallMs) * 1000,
    latencyMs: summarize(latencies),
    startLatencyMs: summarize(startLatencies),
    samples: { latencies, startLatencies },
  };
}

/** Blocks of one side as one run: its rate is what completed over the blocks' summed wall time. */
export function mergeBlocks(blocks: readonly EndToEndBlock[]): EndToEndRun {
  const latencies = blocks.flatMap((b) => b.samples.latencies);
  const wallMs = blocks.reduce((a, b) => a + b.wallMs, 0);
  return {
    completed: latencies.length,
    failures: blocks.reduce((a, b) => a + b.failures, 0),
    firstError: blocks.find((b) => b.firstError !== undefined)?.firstError,
    wallMs,
    perSecond: (latencies.length / Math.max(1, wallMs)) * 1000,
    latencyMs: summarize(latencies),
    startLatencyMs: summarize(blocks.flatMap((b) => b.samples.startLatencies)),
  };
}
