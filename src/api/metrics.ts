/** Latency buckets in seconds: an API call is milliseconds, an update waiting on activities can be seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Prometheus text exposition, hand-rolled: two metric families do not justify a dependency. */
export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const rk = JSON.stringify([method, route, String(status)]);
    this.requests.set(rk, (this.requests.get(rk) ?? 0) + 1);
    const lk = JSON.stringify([method, route]);
    const h = this.latency.get(lk) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.counts[i] = (h.counts[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count += 1;
    this.latency.set(lk, h);
  }

  render(): string {
    const out = ['# HELP http_requests_total HTTP requests by method, route pattern and status.', '# TYPE http_requests_total counter'];
    for (const [k, n] of this.requests) {
      const [method, route, status] = JSON.parse(k) as [string, string, string];
      out.push(`http_requests_total{method="${label(method)}",route="${label(route)}",status="${status}"} ${n}`);
    }
    out.push(
      '# HELP http_request_duration_seconds HTTP request latency by method and route pattern.',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const [k, h] of this.latency) {
      const [method, route] = JSON.parse(k) as [string, string];
      const l = `method="${label(method)}",route="${label(route)}"`;
      BUCKETS.forEach((b, i) => out.push(`http_request_duration_seconds_bucket{${l},le="${b}"} ${h.counts[i] ?? 0}`));
      out.push(`http_request_duration_seconds_bucket{${l},le="+Inf"} ${h.count}`);
      out.push(`http_request_duration_seconds_sum{${l}} ${h.sum}`);
      out.push(`http_request_duration_seconds_count{${l}} ${h.count}`);
    }
    return `${out.join('\n')}\n`;
  }
}
