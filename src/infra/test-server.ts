import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { cacheDir } from './cache-dir';
import { runWithProgress } from './run-with-progress';

/** The Java time-skipping test server, from Maven Central (the SDK's own download needs a CDN). */
export const TEST_SERVER_VERSION = '1.38.0';

export function testServerDir(): string {
  return join(cacheDir(), 'temporal-test-server', TEST_SERVER_VERSION);
}

const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k'];

/**
 * A launcher usable as `{ type: 'existing-path', path }`: the SDK runs `<path> <port> --enable-time-skipping`
 * and waits only ~5 s for the port. C1-only JIT, the serial GC and an application class-data archive
 * (made by a training run at provisioning) roughly halve the JVM's time-to-listen; `-Xshare:auto`
 * falls back silently if the archive does not match the JVM.
 */
function launcherScript(libDir: string, archive: string): string {
  return [
    '#!/bin/sh',
    `exec java ${JVM_FLAGS.join(' ')} -Xshare:auto -XX:SharedArchiveFile='${archive}' -cp '${libDir}/*' io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.on('error', () => resolve(false));
  });
}

/** Starts the server once with -XX:ArchiveClassesAtExit so later starts map the classes it loaded. */
async function trainClassArchive(libDir: string, archive: string, log: (line: string) => void): Promise<void> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    'java',
    [
      ...JVM_FLAGS,
      `-XX:ArchiveClassesAtExit=${archive}`,
      '-cp',
      `${libDir}/*`,
      'io.temporal.testserver.TestServer',
      String(port),
      '--enable-time-skipping',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + 60_000;
  while (Date.now() < until && !(await portOpen(port))) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1000));
  child.kill('SIGTERM');
  await exited;
  log(
    existsSync(archive)
      ? 'temporal test server: class-data archive written'
      : 'temporal test server: no class-data archive (JVM declined); starts will be slower',
  );
}

export async function resolveTestServer(log: (line: string) => void = console.log): Promise<string> {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_TEST_SERVER_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const dir = testServerDir();
  const launcher = join(dir, 'temporal-test-server');
  if (existsSync(launcher)) return launcher;

  const staging = `${dir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(
    join(staging, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>supportflow.local</groupId><artifactId>temporal-test-server-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency>
  </dependencies>
</project>
`,
  );
  const started = Date.now();
  log(`temporal test server: fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its dependencies from Maven Central`);
  await runWithProgress('mvn', ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${join(staging, 'lib')}`], {
    cwd: staging,
    label: 'mvn dependency:copy-dependencies',
    log,
  });
  const jars = readdirSync(join(staging, 'lib')).filter((f) => f.endsWith('.jar'));
  if (!jars.some((j) => j.startsWith('temporal-test-server'))) throw new Error('temporal-test-server jar missing after Maven fetch');
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  const archive = join(dir, 'classes.jsa');
  await trainClassArchive(join(dir, 'lib'), archive, log);
  writeFileSync(launcher, launcherScript(join(dir, 'lib'), archive));
  chmodSync(launcher, 0o755);
  log(`temporal test server: ${jars.length} jars ready in ${Math.round((Date.now() - started) / 1000)}s`);
  return launcher;
}
