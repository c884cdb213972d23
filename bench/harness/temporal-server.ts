import { TestWorkflowEnvironment } from '@temporalio/testing';
import { dynamicConfigArgs } from '../../src/infra/server-settings';
import { resolveTemporalCli } from '../../src/infra/temporal-cli';
import { customSearchAttributes } from '../../workflows/search-attributes';

export const BENCH_TEMPORAL_PORT = Number(process.env.BENCH_TEMPORAL_PORT ?? 17233);

/** The same dev server `npm run dev` runs (cached CLI), in-memory and headless, on a port of its own. */
export async function startBenchTemporal(port = BENCH_TEMPORAL_PORT, dynamicConfig: Record<string, number | boolean | string> = {}) {
  const cli = await resolveTemporalCli((l) => console.log(`[temporal] ${l}`));
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.source === 'sdk-download' ? { type: 'cached-download' } : { type: 'existing-path', path: cli.path },
      ip: '127.0.0.1',
      port,
      ui: false,
      searchAttributes: [...customSearchAttributes],
      log: { format: 'pretty', level: 'error' },
      extraArgs: dynamicConfigArgs(dynamicConfig),
    },
  });
  return { env, address: env.address, client: env.client, stop: () => env.teardown() };
}
