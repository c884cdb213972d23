import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import postgres from 'postgres';
import { connectDb } from '../src/db/client';
import { migrateDb } from '../src/db/migrate';
import { dynamicConfigArgs } from '../src/infra/server-settings';
import { resolveTemporalCli } from '../src/infra/temporal-cli';
import { resolveTestServer } from '../src/infra/test-server';
import { BUNDLE_OPTIONS } from '../src/temporal/worker';
import { customSearchAttributes } from '../workflows/search-attributes';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    testServerPath: string;
    workflowCode: string;
  }
}

export const CONTINUE_AS_NEW_AFTER_EVENTS = 120;
const DEFAULT_TEST_DB = 'postgres://postgres:postgres@127.0.0.1:5432/supportflow_test';

/**
 * Creates the test database afresh, then applies the drizzle migrations. Rows an earlier run left, and
 * above all the catalog's version 1 (the preset, stored on first read), would otherwise make a run
 * depend on the machine's history: a plan or feature added to the presets would be missing from it.
 */
async function prepareDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const dbName = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const quoted = `"${dbName.replace(/"/g, '')}"`;
    await sql.unsafe(`drop database if exists ${quoted} with (force)`);
    await sql.unsafe(`create database ${quoted}`);
  } finally {
    await sql.end();
  }
  const handle = connectDb(url, { max: 1 });
  try {
    await migrateDb(handle);
  } finally {
    await handle.close();
  }
}

/**
 * One real Temporal dev server, one migrated PostgreSQL database and one workflow bundle for the whole
 * run; each test file brings its own worker (own task queue) and its own SMTP server.
 */
export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`[setup] ${line}`);
  const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_TEST_DB;
  const [cli, testServerPath, bundle] = await Promise.all([
    resolveTemporalCli(log),
    resolveTestServer(log),
    bundleWorkflowCode({
      ...BUNDLE_OPTIONS,
      logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never,
    }),
    prepareDatabase(databaseUrl),
  ]);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.source === 'sdk-download' ? { type: 'cached-download' } : { type: 'existing-path', path: cli.path },
      searchAttributes: [...customSearchAttributes],
      log: { format: 'pretty', level: 'error' },
      // Small enough that a test can drive a ticket into continue-as-new in seconds.
      extraArgs: dynamicConfigArgs({ 'limit.historyCount.suggestContinueAsNew': CONTINUE_AS_NEW_AFTER_EVENTS }),
    },
  });
  project.provide('temporalAddress', env.address);
  project.provide('databaseUrl', databaseUrl);
  project.provide('testServerPath', testServerPath);
  project.provide('workflowCode', bundle.code);
  return async () => {
    await env.teardown();
  };
}
