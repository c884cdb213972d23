/** What a route handler answers; also what an idempotent request's replay stores. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (Prometheus text, CSV, an attachment's bytes), sent with its own content type. */
  text?: { contentType: string; content: string | Buffer };
}
