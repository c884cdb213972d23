import { Agent, request, type Server } from 'node:http';
import type { Express } from 'express';

export function listen(app: Express, port: number): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s)).once('error', reject);
    // Node closes a keep-alive socket idle for 5 s; a client reusing it at that moment gets ECONNRESET,
    // which a bench whose blocks alternate (the API idles while the baseline runs) counted as failures.
    s.keepAliveTimeout = 65_000;
    s.headersTimeout = 66_000;
  });
}

export const closeServer = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

export interface Opened {
  id: string;
  openedAt: number;
  dueAt: number;
}

/** Request headers for a JSON call with the API key the harness minted. */
export function jsonHeaders(apiKey: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
}

// Keep-alive sockets, as any client under load would use; one per concurrent caller is plenty.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * POST a JSON body with node:http rather than fetch: the load generator shares the machine with the
 * API it measures, and fetch spends about twice the CPU per call. A timeout is a result, not a hang.
 */
export function postJson(url: string, apiKey: string, body: object, timeoutMs = 30_000): Promise<{ status: number; json: unknown }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...jsonHeaders(apiKey), 'content-length': Buffer.byteLength(payload) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let json: unknown = {};
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `POST /v1/tickets` with a client timeout: a hang is a result, not a stuck benchmark. */
export async function openTicket(
  baseUrl: string,
  apiKey: string,
  body: object,
  timeoutMs = 30_000,
): Promise<{ status: number; code?: string; ticket?: Opened }> {
  const res = await postJson(`${baseUrl}/v1/tickets`, apiKey, body, timeoutMs);
  const json = res.json as { id?: string; code?: string; openedAt?: string; deadlines?: Record<string, string | undefined> };
  if (res.status !== 201 || !json.id) return { status: res.status, ...(json.code ? { code: json.code } : {}) };
  return {
    status: res.status,
    ticket: {
      id: json.id,
      openedAt: Date.parse(json.openedAt ?? ''),
      dueAt: Date.parse(json.deadlines?.first_response ?? json.deadlines?.firstResponse ?? ''),
    },
  };
}
