import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

/**
 * The sandbox evaluates every module of the bundle once per workflow, so a heavy import costs every
 * cached ticket (date-holidays brought ~8 MB of moment-timezone data and megabytes of heap per ticket).
 */
describe('workflow bundle', () => {
  it('leaves zod and the holiday rules out of the sandbox', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    const modules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"/gm)].map((m) => m[1] ?? '');
    const packages = new Set(
      modules.filter((id) => id.includes('node_modules/')).map((id) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1]),
    );
    expect(modules.some((id) => id.startsWith('./workflows/ticket/'))).toBe(true);
    expect([...packages].sort()).toEqual(['@temporalio/common', '@temporalio/workflow', 'long', 'luxon', 'ms', 'nexus-rpc']);
    expect(modules.filter((id) => /regional-holidays|validate-calendar|policy-schema|policy-calendar/.test(id))).toEqual([]);
  }, 120_000);
});
