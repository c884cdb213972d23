import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { BUNDLE_OPTIONS } from '../src/temporal/worker';
import { envInt, loadAvg1, table, writeResult } from './harness/report';
import { summarize } from './harness/stats';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
type Mode = 'per-call' | 'per-activation';

/**
 * The workflow thread's CPU per replayed ticket history: the SDK's deadlock watchdog once per activation
 * (the patch in scripts/patches) against upstream's once per call into the workflow, in the same run.
 * Replay runs the very code a worker runs for a ticket's activations, without a server's noise.
 */
export async function runWorkflowThreadBench() {
  const pairs = envInt('BENCH_WATCHDOG_PAIRS', 2);
  const rounds = envInt('BENCH_WATCHDOG_ROUNDS', 20);
  const dir = mkdtempSync(join(tmpdir(), 'supportflow-bundle-'));
  try {
    const { code } = await bundleWorkflowCode({ ...BUNDLE_OPTIONS, logger: new DefaultLogger('WARN') });
    const bundleFile = join(dir, 'workflows.js');
    writeFileSync(bundleFile, code);
    const side = async (mode: Mode) => {
      const env = { ...process.env, BUNDLE_FILE: bundleFile, ROUNDS: String(rounds), SUPPORTFLOW_VM_WATCHDOG: mode };
      const out = await run(process.execPath, ['--import', 'tsx', 'bench/harness/replay-child.ts'], { cwd: REPO_ROOT, env });
      const r = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as { replays: number; cpuMs: number; wallMs: number };
      return { ...r, cpuMsPerReplay: r.cpuMs / r.replays };
    };
    const runs: Record<Mode, Array<Awaited<ReturnType<typeof side>>>> = { 'per-call': [], 'per-activation': [] };
    const load = [loadAvg1()];
    // ABBA: the machine's drift over the run lands on both sides.
    for (let p = 0; p < pairs; p++)
      for (const mode of p % 2 ? (['per-activation', 'per-call'] as const) : (['per-call', 'per-activation'] as const))
        runs[mode].push(await side(mode));
    load.push(loadAvg1());
    const row = (mode: Mode, label: string) => {
      const cpu = summarize(runs[mode].map((r) => r.cpuMsPerReplay));
      return { label, cpu, replays: runs[mode].reduce((a, r) => a + r.replays, 0) };
    };
    const base = row('per-call', 'baseline: upstream SDK, a watchdog per call');
    const ours = row('per-activation', 'patched: a watchdog per activation');
    console.log(
      table(
        [base, ours].map((r) => ({
          side: r.label,
          replays: r.replays,
          'CPU ms per history, mean of runs': r.cpu.mean.toFixed(1),
          'min-max': `${r.cpu.min.toFixed(1)}-${r.cpu.max.toFixed(1)}`,
        })),
      ),
    );
    const ratio = ours.cpu.mean / base.cpu.mean;
    console.log(`patched / upstream CPU per replayed history: ${ratio.toFixed(2)}x; load average (1 min) ${load.join('-')}`);
    const file = writeResult('workflow-thread', { pairs, rounds, runs, ratio, load });
    console.log(`-> ${file}`);
    return { ratio };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
