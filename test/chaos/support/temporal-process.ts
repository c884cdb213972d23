import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Connection } from '@temporalio/client';
import { dynamicConfigArgs } from '../../../src/infra/server-settings';
import { resolveTemporalCli } from '../../../src/infra/temporal-cli';
import { cliTypeName, customSearchAttributes } from '../../../workflows/search-attributes';

/**
 * `temporal server start-dev` with a persistent SQLite file, run as our own child process so it can be
 * killed outright and started again on the same file and port.
 */
export class TemporalProcess {
  private proc: ChildProcess | undefined;

  constructor(
    readonly port: number,
    readonly dbFile: string,
    private readonly logFile: string,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const cli = await resolveTemporalCli(() => {});
    if (cli.source === 'sdk-download') throw new Error('the chaos suite needs the Temporal CLI binary (npm run provision)');
    const args = [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--headless',
      '--db-filename',
      this.dbFile,
      '--log-level',
      'error',
      ...dynamicConfigArgs(),
    ];
    for (const key of customSearchAttributes) args.push('--search-attribute', `${key.name}=${cliTypeName[key.type]}`);
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const proc = spawn(cli.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    this.proc = proc;
    const end = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`temporal exited with ${proc.exitCode}; see ${this.logFile}`);
      try {
        const c = await Connection.connect({ address: this.address, connectTimeout: 1_000 });
        await c.workflowService.describeNamespace({ namespace: 'default' });
        await c.close();
        return;
      } catch {
        if (Date.now() > end) throw new Error(`temporal not serving on ${this.address}; see ${this.logFile}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill(signal);
    await exited;
  }
}
