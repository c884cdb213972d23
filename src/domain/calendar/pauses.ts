import type { PauseInterval } from './types';

/** Pauses sorted and merged; an open pause (no end) swallows everything after its start. */
export function normalizePauses(pauses: readonly PauseInterval[] | undefined): Array<{ start: number; end: number }> {
  if (!pauses || pauses.length === 0) return [];
  const spans = pauses.map((p) => {
    const end = p.end ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(p.start) || Number.isNaN(end) || end < p.start) {
      throw new RangeError(`invalid pause ${JSON.stringify(p)}`);
    }
    return { start: p.start, end };
  });
  spans.sort((a, b) => a.start - b.start);
  const out: Array<{ start: number; end: number }> = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else if (s.end > s.start) out.push({ ...s });
  }
  return out;
}
