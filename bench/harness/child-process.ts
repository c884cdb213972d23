import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Child {
  name: string;
  proc: ChildProcess;
  logFile: string;
  /** Resolves with the exit code, or the signal's name when a signal ended it (a native crash aborts). */
  exited: Promise<number | string | null>;
  /** Resident set size of the process itself: it is node with tsx's loader, not a tsx wrapper. */
  rssBytes(): number | undefined;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node --import tsx <entry>` with `env` and resolves once a line of its output matches `ready`. Output goes to
 * a log file so a failure can be read afterwards without flooding the figures.
 */
export async function startTsx(
  name: string,
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 120_000,
): Promise<Child> {
  const dir = join(tmpdir(), 'supportflow-bench-logs');
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `${name}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  // `node --import tsx` rather than the tsx CLI: the CLI runs node as a grandchild, which kill -9 would orphan.
  // BENCH_NODE_ARGS_WORKER='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the worker (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env[`BENCH_NODE_ARGS_${name.toUpperCase()}`] ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms; see ${logFile}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      buffered = (buffered + chunk.toString()).slice(-4096);
      if (ready.test(buffered)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready; see ${logFile}`));
    });
  });
  proc.stdout?.removeAllListeners('data');
  proc.stderr?.removeAllListeners('data');
  proc.stdout?.pipe(log);
  proc.stderr?.pipe(log);
  return {
    name,
    proc,
    logFile,
    exited,
    rssBytes: () => vmRss(proc.pid),
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      const forced = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

export function vmRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
