import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startedHistory } from '../../support/started-history';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import {
  applyClockEffects,
  calendarForPolicy,
  decide,
  dueInstants,
  getPolicyPreset,
  openingClocks,
  previewDeadlines,
} from '../../../src/domain/ticket/index';
import type { TicketProbeReport, TicketProbeSinks } from './fixtures/sandbox-workflow';
import { at } from './helpers';

describe('Temporal workflow sandbox', () => {
  it('bundles the ticket domain (no Node built-ins) and computes the same answers inside the sandbox', async () => {
    const reports: TicketProbeReport[] = [];
    const sinks: InjectedSinks<TicketProbeSinks> = {
      probe: { report: { fn: (_info, result) => void reports.push(result), callDuringReplay: true } },
    };
    const openedAt = at('2026-11-20T15:30', 'Europe/Berlin');
    await Worker.runReplayHistory(
      { workflowsPath: fileURLToPath(new URL('./fixtures/sandbox-workflow.ts', import.meta.url)), sinks },
      startedHistory('ticketSandboxWorkflow', openedAt, 'ticket-sandbox'),
      'ticket-sandbox',
    );

    const policy = getPolicyPreset('smartwork-emea');
    const state = { status: 'new', policy, priority: 'normal', resolutionLevel: 'first', devTicketOpen: false } as const;
    const now = openedAt + 3_600_000;
    const decision = decide(state, { type: 'change_priority', priority: 'high' }, now);
    if (!decision.ok) throw new Error(decision.reason);
    const { clocks } = applyClockEffects(openingClocks(state, openedAt), decision.clockEffects, {
      now,
      terms: state,
      resolvePolicy: getPolicyPreset,
      calendarOf: calendarForPolicy,
    });
    expect(reports).toEqual([
      {
        previewText: previewDeadlines(policy, 'high', openedAt).items.map((i) => i.text),
        status: 'new',
        due: dueInstants(clocks, calendarForPolicy(policy)),
        schemaOk: true,
        fieldErrors: 3,
      },
    ]);
    expect(reports[0]?.previewText[0]).toBe('first response due Mon 23 Nov 2026 11:30 Europe/Berlin');
  }, 120_000);
});
