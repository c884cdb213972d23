/**
 * Schemathesis closes each run with a pytest-style banner ("===== 3 warnings in 103.88s ====="). CI
 * reads pytest's closing lines to count what ran, so in the CI log that banner reads as a pytest run
 * with no test executed, and every green submission was reported as having run none (stops 18-22). The
 * console copy of schemathesis' output gets the banner without its rules; the report files keep it.
 */
const PYTEST_BANNER = /^=+ (.+ in [0-9.]+s) =+\s*$/;

export function unbannered(line: string): string {
  const m = PYTEST_BANNER.exec(line);
  return m ? `schemathesis finished: ${m[1]}` : line;
}

/** Passes a child's output on line by line through `unbannered`; `end()` flushes a last partial line. */
export function lineFilter(write: (text: string) => void): { push(chunk: Buffer): void; end(): void } {
  let partial = '';
  return {
    push(chunk) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length) write(lines.map(unbannered).join('\n') + '\n');
    },
    end() {
      if (partial) write(unbannered(partial));
      partial = '';
    },
  };
}
