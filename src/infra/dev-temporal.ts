import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { customSearchAttributes } from '../../workflows/search-attributes';
import { dynamicConfigArgs } from './server-settings';
import { resolveTemporalCli } from './temporal-cli';

/**
 * The Temporal dev server with its Web UI and a persistent SQLite file, so a restart keeps every
 * workflow. The SDK's ephemeral-server launcher runs it and stops it with us; search attributes are
 * registered at each start.
 */
export async function startDevTemporal(opts: { dataDir: string; port: number; uiPort: number; log: (line: string) => void }) {
  const cli = await resolveTemporalCli(opts.log);
  mkdirSync(opts.dataDir, { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.source === 'sdk-download' ? { type: 'cached-download' } : { type: 'existing-path', path: cli.path },
      ip: '127.0.0.1',
      port: opts.port,
      ui: true,
      uiPort: opts.uiPort,
      dbFilename: resolve(join(opts.dataDir, 'temporal.db')),
      searchAttributes: [...customSearchAttributes],
      log: { format: 'pretty', level: 'warn' },
      extraArgs: dynamicConfigArgs(),
    },
  });
  return { address: env.address, stop: () => env.teardown() };
}
