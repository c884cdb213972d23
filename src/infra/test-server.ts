import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir';
import { runWithProgress } from './run-with-progress';

/** The Java time-skipping test server, from Maven Central (the SDK's own download needs a CDN). */
export const TEST_SERVER_VERSION = '1.38.0';

export function testServerDir(): string {
  return join(cacheDir(), 'temporal-test-server', TEST_SERVER_VERSION);
}

/**
 * A launcher usable as `{ type: 'existing-path', path }`: the SDK runs `<path> <port> --enable-time-skipping`.
 * C1-only JIT and the serial GC bring the JVM's time-to-listen well inside the SDK's ~5 s wait.
 */
function launcherScript(libDir: string): string {
  return [
    '#!/bin/sh',
    `exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xshare:auto -cp '${libDir}/*' io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
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
  writeFileSync(launcher, launcherScript(join(dir, 'lib')));
  chmodSync(launcher, 0o755);
  log(`temporal test server: ${jars.length} jars ready in ${Math.round((Date.now() - started) / 1000)}s`);
  return launcher;
}
