import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir';
import { runWithProgress } from './run-with-progress';

/**
 * The newest Temporal CLI the Go module proxy can build here. v1.6+ keep a `cliext` sub-module behind a
 * `replace ./cliext` that `go install` refuses, so we build from a wrapper module that pins cliext to the
 * pseudo-version of the same commit (v1.8.2 = c579925f193f). v1.9.1 is on the proxy but its cliext commit is not.
 */
export const TEMPORAL_CLI_VERSION = 'v1.8.2';
const CLIEXT_VERSION = 'v0.0.0-20260731000218-c579925f193f';

export type TemporalCliSource = 'env' | 'path' | 'cache' | 'go-build' | 'sdk-download';
export type TemporalCli = { source: Exclude<TemporalCliSource, 'sdk-download'>; path: string } | { source: 'sdk-download' };

function onPath(bin: string): string | undefined {
  try {
    const found = execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

export function cachedCliPath(): string {
  return join(cacheDir(), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

/**
 * Resolution order: TEMPORAL_CLI_PATH, `temporal` on PATH, our cached build, a build from the Go module
 * proxy, and last the SDK's own download (which needs the internet).
 */
export async function resolveTemporalCli(log: (line: string) => void = console.log): Promise<TemporalCli> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} does not exist`);
    return { source: 'env', path: fromEnv };
  }
  const found = onPath('temporal');
  if (found) return { source: 'path', path: found };
  const cached = cachedCliPath();
  if (existsSync(cached)) return { source: 'cache', path: cached };
  if (onPath('go')) {
    await buildCli(cached, log);
    return { source: 'go-build', path: cached };
  }
  log('temporal CLI: no Go toolchain found; falling back to the SDK download (needs internet access)');
  return { source: 'sdk-download' };
}

async function buildCli(target: string, log: (line: string) => void): Promise<void> {
  const work = join(cacheDir(), 'temporal-cli', 'build');
  mkdirSync(work, { recursive: true });
  writeFileSync(
    join(work, 'go.mod'),
    [
      'module supportflow.local/temporal-cli-build',
      '',
      'go 1.25',
      '',
      `require github.com/temporalio/cli ${TEMPORAL_CLI_VERSION}`,
      '',
      `replace github.com/temporalio/cli/cliext => github.com/temporalio/cli/cliext ${CLIEXT_VERSION}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(work, 'tools.go'), '//go:build tools\n\npackage tools\n\nimport _ "github.com/temporalio/cli/cmd/temporal"\n');
  // GOTOOLCHAIN stays at its default (auto): an older local Go fetches the required toolchain from the module proxy.
  const env = { ...process.env, GOFLAGS: '-mod=mod' };
  const started = Date.now();
  log(`temporal CLI: building ${TEMPORAL_CLI_VERSION} from the Go module proxy (first time only, takes a few minutes)`);
  await runWithProgress('go', ['mod', 'tidy', '-e'], { cwd: work, env, label: 'go mod tidy', log });
  const tmp = `${target}.tmp`;
  mkdirSync(join(target, '..'), { recursive: true });
  await runWithProgress(
    'go',
    [
      'build',
      '-v',
      '-trimpath',
      '-ldflags',
      `-s -w -X github.com/temporalio/cli/internal/temporalcli.Version=${TEMPORAL_CLI_VERSION.slice(1)}`,
      '-o',
      tmp,
      'github.com/temporalio/cli/cmd/temporal',
    ],
    { cwd: work, env, label: 'go build temporal', log },
  );
  renameSync(tmp, target);
  log(`temporal CLI: built ${target} in ${Math.round((Date.now() - started) / 1000)}s`);
}
