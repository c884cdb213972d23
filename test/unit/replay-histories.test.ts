import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { PRELOADED_MODULES, WORKFLOWS_PATH } from '../../src/temporal/worker';

/**
 * Histories recorded from the code that ran them (`npm run histories:record`): a workflow change that a
 * running ticket or subscription could not replay fails here, before it is deployed.
 */
const DIR = join(import.meta.dirname, '..', 'histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('committed workflow histories', () => {
  it('covers the deployed families', () => {
    const names = files.join(' ');
    const families = [
      'ticket-standard',
      'ticket-escalated',
      'ticket-escalated-dev',
      'ticket-escalated-local',
      'ticket-escalated-local-dev',
      'ticket-serial',
    ];
    for (const family of [...families, 'ticket-emergency', 'subscription-reinstated']) {
      expect(names).toContain(`${family}.json`);
    }
  });

  it('replay on the current workflow code without nondeterminism', async () => {
    const histories = files.map((f) => {
      const { workflowId, history } = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { workflowId: string; history: unknown };
      return { workflowId, history: historyFromJSON(history) };
    });
    const results: Array<{ workflowId: string; error?: unknown }> = [];
    for await (const r of Worker.runReplayHistories(
      { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOADED_MODULES }, replayName: 'committed-histories' },
      histories,
    ))
      results.push(r);
    expect(results).toHaveLength(files.length);
    expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${String(r.error)}`)).toEqual([]);
  }, 120_000);
});
