import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  label: string;
  log: (line: string) => void;
  /** Printed every `heartbeatMs` so that a long first build never sits silent. */
  heartbeatMs?: number;
}

/** Runs a command, relaying a progress count and a periodic heartbeat; rejects with the output tail on failure. */
export function runWithProgress(cmd: string, args: string[], opts: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let lines = 0;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        lines += 1;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const beat = setInterval(() => {
      const secs = Math.round((Date.now() - started) / 1000);
      opts.log(`${opts.label}: still working (${secs}s, ${lines} lines of output; last: ${tail.at(-1)?.slice(0, 100) ?? '-'})`);
    }, opts.heartbeatMs ?? 15_000);
    child.on('error', (err) => {
      clearInterval(beat);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(beat);
      if (code === 0) resolve();
      else reject(new Error(`${opts.label} failed with exit code ${code}:\n${tail.join('\n')}`));
    });
  });
}
