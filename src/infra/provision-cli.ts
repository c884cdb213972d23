import { resolveTemporalCli } from './temporal-cli';
import { resolveTestServer } from './test-server';

/** `npm run provision`: brings the Temporal CLI and the time-skipping test server into the cache. */
const log = (line: string) => console.log(`[provision] ${line}`);
const started = Date.now();
const cli = await resolveTemporalCli(log);
log(cli.source === 'sdk-download' ? 'temporal CLI: will be downloaded by the SDK' : `temporal CLI (${cli.source}): ${cli.path}`);
const testServer = await resolveTestServer(log);
log(`time-skipping test server: ${testServer}`);
log(`done in ${Math.round((Date.now() - started) / 1000)}s`);
