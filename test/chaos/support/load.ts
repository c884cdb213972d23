import { jsonHeaders, type Opened } from '../../../bench/harness/http';
import { chaosSettings } from './chaos-stack';

export type Outcome = number | 'timeout' | 'network-error';

const CLIENT_TIMEOUT_MS = Number(process.env.CHAOS_CLIENT_TIMEOUT_MS ?? 5_000);
/** A careful client keeps retrying an outage for minutes, not for a number of attempts (a 429 answers at once). */
const RETRY_FOR_MS = Number(process.env.CHAOS_RETRY_FOR_S ?? 180) * 1000;
const RETRY_PAUSE_MS = 2_000;
/** Answers a well-behaved client retries with the same Idempotency-Key; anything else is final. */
const RETRYABLE = new Set<Outcome>([409, 429, 500, 502, 503, 504, 'timeout', 'network-error']);

/**
 * Opens tickets at a steady rate through the API without waiting for answers (a hung request must not
 * slow the load), and probes `GET /v1/tickets/:id` once a second. A failed open is retried like a careful
 * client would, with the same Idempotency-Key, until it gets its 201. First attempts are tallied under the
 * phase (before / during / after the fault) in which they were sent, retries under "retries".
 */
export class TicketLoad {
  readonly accepted: Opened[] = [];
  /** Requests that got their 201 only on a retry, and requests that never got one. */
  acceptedOnRetry = 0;
  gaveUp = 0;
  /** For each request that gave up, its answers in order (status and problem code), to say why. */
  readonly gaveUpTrails: string[][] = [];
  readonly opens: Record<string, Record<string, number>> = {};
  readonly reads: Record<string, Record<string, number>> = {};
  phase = 'before';
  private timers: NodeJS.Timeout[] = [];
  private inflight = new Set<Promise<void>>();
  private seq = 0;

  constructor(
    private readonly apiUrl: string,
    private readonly apiKey: string,
    private readonly customerId: string,
    private readonly policyId: string,
    private readonly perSecond: number,
  ) {}

  start(): void {
    this.timers.push(setInterval(() => this.track(this.open()), 1000 / this.perSecond));
    this.timers.push(setInterval(() => this.track(this.read()), 1000));
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    await Promise.all(this.inflight);
  }

  private track(p: Promise<void>) {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private tally(into: Record<string, Record<string, number>>, phase: string, outcome: Outcome) {
    const bucket = (into[phase] ??= {});
    bucket[String(outcome)] = (bucket[String(outcome)] ?? 0) + 1;
  }

  private async call(path: string, init: RequestInit): Promise<{ outcome: Outcome; json: unknown }> {
    try {
      const res = await fetch(`${this.apiUrl}${path}`, { ...init, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
      return { outcome: res.status, json: (await res.json().catch(() => undefined)) as unknown };
    } catch (err) {
      return { outcome: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network-error', json: undefined };
    }
  }

  private async open(): Promise<void> {
    const phase = this.phase;
    const i = this.seq++;
    const body = JSON.stringify({
      customerId: this.customerId,
      requesterEmail: `chaos-${i}@${chaosSettings.requesterDomain}`,
      subject: `Chaos ticket ${i}`,
      description: 'Opened while a dependency fails.',
      policyId: this.policyId,
    });
    const headers = { ...jsonHeaders(this.apiKey), 'idempotency-key': `${this.customerId}-${i}` };
    const since = Date.now();
    const trail: string[] = [];
    for (let attempt = 0; attempt === 0 || Date.now() - since < RETRY_FOR_MS; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
      const { outcome, json } = await this.call('/v1/tickets', { method: 'POST', headers, body });
      this.tally(this.opens, attempt === 0 ? phase : 'retries', outcome);
      const t = json as { id?: string; code?: string; openedAt?: string; deadlines?: Record<string, string> } | undefined;
      trail.push(`${Math.round((Date.now() - since) / 1000)}s ${String(outcome)}${t?.code ? ` ${t.code}` : ''}`);
      if (outcome === 201 && t?.id) {
        this.accepted.push({ id: t.id, openedAt: Date.parse(t.openedAt ?? ''), dueAt: Date.parse(t.deadlines?.first_response ?? '') });
        if (attempt > 0) this.acceptedOnRetry += 1;
        return;
      }
      if (!RETRYABLE.has(outcome)) break;
    }
    this.gaveUp += 1;
    this.gaveUpTrails.push(trail);
  }

  private async read(): Promise<void> {
    const phase = this.phase;
    const id = this.accepted[0]?.id;
    if (!id) return;
    const { outcome } = await this.call(`/v1/tickets/${id}`, { method: 'GET', headers: jsonHeaders(this.apiKey) });
    this.tally(this.reads, phase, outcome);
  }
}

/** "2s 503 x", "4s 503 x", "6s 201" → "2s–4s 503 x ×2", "6s 201": a give-up's story in one line. */
export function compactTrail(trail: string[]): string {
  const runs: Array<{ from: string; to: string; what: string; n: number }> = [];
  for (const entry of trail) {
    const [at = '', ...rest] = entry.split(' ');
    const what = rest.join(' ');
    const last = runs.at(-1);
    if (last && last.what === what) {
      last.to = at;
      last.n += 1;
    } else runs.push({ from: at, to: at, what, n: 1 });
  }
  return runs.map((r) => (r.n > 1 ? `${r.from}–${r.to} ${r.what} ×${r.n}` : `${r.from} ${r.what}`)).join(', ');
}
