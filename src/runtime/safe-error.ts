/**
 * What of an error may reach a log line or a workflow history: its kind, its codes and its message,
 * never the SQL statement, its parameters (emails, subjects, key hashes) or a request body. drizzle
 * wraps a driver error as "Failed query: <sql>\nparams: <values>"; the driver's own error is the cause.
 */
export interface SafeError {
  type: string;
  message: string;
  code?: string;
  constraint?: string;
  cause?: SafeError;
}

const SQL_TEXT = /^Failed query:[^]*$/;

export function safeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error) || depth > 4) return { type: typeof err, message: 'non-error thrown' };
  const e = err as Error & { code?: unknown; constraint_name?: unknown; cause?: unknown };
  const message = SQL_TEXT.test(e.message) ? 'database query failed' : e.message.split('\n')[0]!.slice(0, 300);
  return {
    type: e.name,
    message,
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: String(e.code) } : {}),
    ...(typeof e.constraint_name === 'string' ? { constraint: e.constraint_name } : {}),
    ...(e.cause !== undefined ? { cause: safeError(e.cause, depth + 1) } : {}),
  };
}
