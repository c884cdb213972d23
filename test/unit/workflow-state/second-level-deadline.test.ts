import { describe, expect, it } from 'vitest';
import { TicketMachine, type MachineRules } from '../../../workflows/ticket/ticket-machine';
import { at, ticketInput } from '../../support/ticket-input';

/**
 * 003: "within 1 working day, in case of first level intervention, and within 4 working days, in case of
 * second level intervention", 9-13 and 14-18 Europe/Rome. Opened Monday 18 January 2027 09:00: the first
 * level is due Monday 18:00, the second Thursday 21 January 18:00.
 */
const rome = (local: string) => at(local, 'Europe/Rome');
const iso = (local: string) => new Date(rome(local)).toISOString();

/** A MailUp Standard ticket whose first-level resolution breach fired, escalated Tuesday 12:00. */
function escalatedAfterBreach(rules: MachineRules = {}): TicketMachine {
  const m = new TicketMachine(ticketInput('mailup-standard', rome('2027-01-18T09:00')), {}, rules);
  const replied = rome('2027-01-18T09:30');
  m.apply(m.decide({ type: 'respond' }, replied), replied);
  for (let p = m.next(); p; p = m.next()) {
    m.fire(p, p.at);
    if (p.type === 'breach' && p.clock === 'resolution') break;
  }
  expect(m.s.breaches).toEqual([{ clock: 'resolution', at: rome('2027-01-18T18:00') }]);
  const escalatedAt = rome('2027-01-19T12:00');
  m.apply(m.decide({ type: 'escalate' }, escalatedAt), escalatedAt);
  return m;
}

const resolutionItems = (m: TicketMachine) =>
  m.pending.filter((p) => p.clock === 'resolution').map((p) => [p.type, p.fraction ?? null, new Date(p.at).toISOString()]);

describe('TicketMachine: the second-level resolution promise after a first-level breach', () => {
  it('warns and breaches on its own deadline, keyed apart from the first level', () => {
    const m = escalatedAfterBreach();
    expect(m.view().deadlines.resolution).toBe(iso('2027-01-21T18:00'));
    // 75 % of the 32 working hours (the standard warning): 24 of them, used up Wednesday 18:00.
    expect(resolutionItems(m)).toEqual([
      ['warning', 0.75, iso('2027-01-20T18:00')],
      ['breach', null, iso('2027-01-21T18:00')],
    ]);
    expect(m.pending.filter((p) => p.clock === 'resolution').every((p) => p.key.includes(':second'))).toBe(true);
    const breach = m.pending.find((p) => p.type === 'breach' && p.clock === 'resolution')!;
    m.fire(breach, breach.at);
    expect(m.view().breaches).toEqual([
      { clock: 'resolution', at: iso('2027-01-18T18:00') },
      { clock: 'resolution', at: iso('2027-01-21T18:00') },
    ]);
  });

  it('a history that escalated before the rule keeps its keys, and a resumed run keeps the choice', () => {
    const recorded = escalatedAfterBreach({ resolutionKeysByLevel: () => false });
    expect(recorded.s.resolutionKeysByLevel).toBe(false);
    expect(resolutionItems(recorded)).toEqual([]);

    const m = escalatedAfterBreach();
    const input = ticketInput('mailup-standard', rome('2027-01-18T09:00'));
    const resumed = new TicketMachine({ ...input, resume: JSON.parse(JSON.stringify(m.s)) }, {}, { resolutionKeysByLevel: () => false });
    expect(resumed.pending).toEqual(m.pending);
  });
});
