/** Runs `total` calls with at most `concurrency` in flight; returns each call's latency and the wall time. */
export async function runConcurrent(total: number, concurrency: number, call: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let firstError: unknown;
  const started = performance.now();
  const lane = async () => {
    for (let i = next++; i < total; i = next++) {
      const t0 = performance.now();
      try {
        await call(i);
        latencies.push(performance.now() - t0);
      } catch (err) {
        failures += 1;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  const wallMs = performance.now() - started;
  return { latencies, failures, firstError, wallMs, perSecond: (latencies.length / wallMs) * 1000 };
}
