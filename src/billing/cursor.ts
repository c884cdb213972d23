/**
 * Opaque page cursors: the sort key of the last item, so pages stay stable while rows arrive.
 * A forged cursor is client input: anything but the shape written here decodes to undefined.
 */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): string[] | undefined {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parts) || parts.length !== arity) return undefined;
    if (!parts.every((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= 300 && !p.includes('\u0000')))
      return undefined;
    return parts;
  } catch {
    return undefined;
  }
}

/** An instant PostgreSQL can hold, as a cursor carries it. */
export function cursorInstant(s: string): Date | undefined {
  const ms = Date.parse(s);
  return Number.isFinite(ms) && ms >= 0 && ms < Date.parse('2200-01-01T00:00:00Z') ? new Date(ms) : undefined;
}
