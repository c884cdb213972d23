import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { inject } from 'vitest';
import { temporal } from '@temporalio/proto';
import { connectDb, type DbHandle } from '../../src/db/client';
import { createSmtpTransport } from '../../src/mail/transport';
import { MailSink } from '../../src/mail/mail-sink';
import { createWorker } from '../../src/temporal/worker';
import { customSearchAttributes } from '../../workflows/search-attributes';
import { historiesFrom, replayFailures } from './replay-all';

const { IndexedValueType } = temporal.api.enums.v1;

/**
 * The SDK gives the JVM ~5 s to open its port; on a loaded 2-core machine a start can miss that, so a
 * failed start is retried rather than failing the file.
 */
async function createWithRetry(attempts = 3): Promise<TestWorkflowEnvironment> {
  for (let i = 1; ; i++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
      });
    } catch (err) {
      if (i >= attempts || !String(err).includes('did not start')) throw err;
    }
  }
}

export interface SkippingStack {
  env: TestWorkflowEnvironment;
  db: DbHandle;
  mail: MailSink;
  worker: Worker;
  taskQueue: string;
  /** Skips the server clock forward to `t` (epoch ms); no-op when it is already there. */
  sleepUntil(t: number): Promise<void>;
  stop(): Promise<void>;
}

/** The Java time-skipping test server (from Maven Central) with a real worker, PostgreSQL and SMTP. */
export async function startTimeSkippingStack(): Promise<SkippingStack> {
  const env = await createWithRetry();
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      customSearchAttributes.map((k) => [
        k.name,
        encodeSearchAttributeIndexedValueType(k.type) ?? IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  const db = connectDb(inject('databaseUrl'), { max: 5 });
  const mail = new MailSink();
  const smtpPort = await mail.start();
  const transport = createSmtpTransport({ host: '127.0.0.1', port: smtpPort });
  const taskQueue = `ts-${randomUUID()}`;
  const worker = await createWorker({
    connection: env.nativeConnection,
    taskQueue,
    deps: { db: db.db, transport, mailFrom: 'Support <support@test.local>' },
    workflowBundle: { code: inject('workflowCode') },
  });
  const running = worker.run();
  // The workflows this stack's client starts (the tests' and the API's), so that stop() can replay them.
  const started = new Set<string>();
  const workflows = env.client.workflow;
  const start = workflows.start.bind(workflows);
  workflows.start = (async (...args: Parameters<typeof start>) => {
    const handle = await start(...args);
    started.add(handle.workflowId);
    return handle;
  }) as typeof workflows.start;
  return {
    env,
    db,
    mail,
    worker,
    taskQueue,
    async sleepUntil(t: number) {
      const now = await env.currentTimeMs();
      if (t > now) await env.sleep(t - now);
    },
    async stop() {
      worker.shutdown();
      await running;
      try {
        const failed = await replayFailures(await historiesFrom(env.client, started));
        if (failed.length) throw new Error(`histories that do not replay:\n${failed.join('\n')}`);
      } finally {
        transport.close();
        await mail.stop();
        await db.close();
        await env.teardown();
      }
    },
  };
}
