import { readFileSync, readdirSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';

/**
 * One side of the workflow-thread bench, in a process of its own so that it starts with the watchdog
 * mode its environment names: replays the committed ticket histories ROUNDS times on the bundle in
 * BUNDLE_FILE and prints the process's CPU per replay as one JSON line.
 */
async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const code = readFileSync(process.env.BUNDLE_FILE ?? '', 'utf8');
  const dir = 'test/histories';
  const histories = readdirSync(dir)
    .filter((f) => f.startsWith('ticket') && f.endsWith('.json'))
    .map((f) => historyFromJSON((JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { history: unknown }).history));
  const rounds = Number(process.env.ROUNDS ?? 20);
  async function* feed(n: number) {
    for (let r = 0; r < n; r++) for (const [i, history] of histories.entries()) yield { workflowId: `replay-${r}-${i}`, history };
  }
  const options = { workflowBundle: { code }, replayName: 'workflow-thread-bench' };
  // The first rounds compile and warm the code; they are not timed.
  for await (const r of Worker.runReplayHistories(options, feed(3))) if (r.error) throw r.error;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let replays = 0;
  for await (const r of Worker.runReplayHistories(options, feed(rounds))) {
    if (r.error) throw r.error;
    replays++;
  }
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ replays, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t0 }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
