import type { Server } from 'node:http';
import type { Express } from 'express';

export function listen(app: Express, port: number): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s)).once('error', reject);
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

/** `POST /v1/tickets` with a client timeout: a hang is a result, not a stuck benchmark. */
export async function openTicket(baseUrl: string, apiKey: string, body: object, timeoutMs = 30_000): Promise<{ status: number; ticket?: Opened }> {
  const res = await fetch(`${baseUrl}/v1/tickets`, { method: 'POST', headers: jsonHeaders(apiKey), body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const json = (await res.json().catch(() => ({}))) as { id?: string; openedAt?: string; deadlines?: Record<string, string | undefined> };
  if (res.status !== 201 || !json.id) return { status: res.status };
  return { status: res.status, ticket: { id: json.id, openedAt: Date.parse(json.openedAt ?? ''), dueAt: Date.parse(json.deadlines?.first_response ?? json.deadlines?.firstResponse ?? '') } };
}
