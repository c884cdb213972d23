import { describe, expect, it } from 'vitest';
import { SlaState } from '../../../workflows/ticket/contract';
import { TicketMachine } from '../../../workflows/ticket/ticket-machine';
import { at, ticketInput } from '../../support/ticket-input';

const rome = (local: string) => at(local, 'Europe/Rome');

describe('TicketMachine: deadlines computed on change and kept', () => {
  it('schedules warnings before breaches, earliest first, with stable keys', () => {
    const m = new TicketMachine(ticketInput('mailup-standard', rome('2027-01-15T12:30')));
    const kinds = m.pending.map((p) => `${p.type}:${p.clock}@${new Date(p.at).toISOString()}`);
    // 4 working hours from Fri 12:30: 75 % after 3 h (16:30), due 17:30; resolution 8 h: Mon 17:30.
    expect(kinds.slice(0, 2)).toEqual([
      `warning:first_response@${new Date(rome('2027-01-15T16:30')).toISOString()}`,
      `breach:first_response@${new Date(rome('2027-01-15T17:30')).toISOString()}`,
    ]);
    expect(m.pending.map((p) => p.at)).toEqual([...m.pending.map((p) => p.at)].sort((a, b) => a - b));
    expect(new TicketMachine(ticketInput('mailup-standard', rome('2027-01-15T12:30'))).pending.map((p) => p.key)).toEqual(
      m.pending.map((p) => p.key),
    );
  });

  it('fires each item once: a warning turns the SLA amber, a breach red, and neither is rescheduled', () => {
    const m = new TicketMachine(ticketInput('mailup-standard', rome('2027-01-15T12:30')));
    const warning = m.next()!;
    m.fire(warning, warning.at);
    expect(m.s.slaState).toBe(SlaState.Warning);
    expect(m.pending.find((p) => p.key === warning.key)).toBeUndefined();
    const breach = m.next()!;
    expect(breach.type).toBe('breach');
    m.fire(breach, breach.at);
    expect(m.s.slaState).toBe(SlaState.Breached);
    expect(m.s.breaches).toEqual([{ clock: 'first_response', at: breach.at }]);
    m.fire(m.next()!, m.next()!.at);
    expect(m.s.slaState).toBe(SlaState.Breached);
  });

  it('stops owing the first response once staff answer, and records when', () => {
    const openedAt = rome('2027-01-15T12:30');
    const m = new TicketMachine(ticketInput('mailup-standard', openedAt));
    const t = rome('2027-01-15T14:10');
    m.apply(m.decide({ type: 'respond' }, t), t);
    expect(m.s.firstRespondedAt).toBe(t);
    expect(m.pending.some((p) => p.clock === 'first_response')).toBe(false);
    expect(m.view().status).toBe('answered');
  });

  it('a periodic update restarts the rhythm from when it went out', () => {
    const m = new TicketMachine(ticketInput('smartwork-emea', at('2027-05-03T10:00', 'Europe/Berlin')));
    const periodic = m.pending.find((p) => p.type === 'periodic_update')!;
    m.fire(periodic, periodic.at + 500);
    const next = m.pending.find((p) => p.type === 'periodic_update')!;
    expect(next.key).not.toBe(periodic.key);
    expect(next.at).toBeGreaterThan(periodic.at);
  });

  it('is finished only when closed and the reopen window has passed', () => {
    const m = new TicketMachine(ticketInput('mailup-standard', rome('2027-01-18T09:00')));
    let t = rome('2027-01-18T10:00');
    m.apply(m.decide({ type: 'respond' }, t), t);
    m.apply(m.decide({ type: 'resolve', kind: 'solution' }, t), t);
    const autoClose = m.next()!;
    expect(autoClose.type).toBe('auto_close');
    t = autoClose.at;
    m.apply(m.decide({ type: 'close', by: 'system' }, t), t);
    expect(m.status).toBe('closed');
    expect(m.finished(t)).toBe(false);
    const end = m.next()!;
    expect(end.type).toBe('reopen_window_end');
    expect(m.finished(end.at + 1)).toBe(true);
  });

  it('survives continue-as-new: a machine resumed from a snapshot schedules the same pending items', () => {
    const input = ticketInput('mailup-standard', rome('2027-01-15T12:30'));
    const m = new TicketMachine(input);
    m.fire(m.next()!, m.next()!.at);
    const resumed = new TicketMachine({ ...input, resume: JSON.parse(JSON.stringify(m.s)) });
    expect(resumed.pending).toEqual(m.pending);
    expect(resumed.view()).toEqual(m.view());
  });
});
