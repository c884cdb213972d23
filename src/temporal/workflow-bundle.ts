import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { BUNDLE_OPTIONS } from './worker';

/**
 * workflows/ bundled once, ahead of any worker: replicas load the file (WORKFLOW_BUNDLE_PATH) instead of
 * each spending ~10 s of CPU on webpack at start. The same entry point the worker would bundle itself.
 */
export async function writeWorkflowBundle(path: string): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({
    ...BUNDLE_OPTIONS,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return { path, bytes: Buffer.byteLength(code) };
}
