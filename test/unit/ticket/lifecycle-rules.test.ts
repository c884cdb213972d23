import { describe, expect, it } from 'vitest';
import type { Decision, TicketState } from '../../../src/domain/ticket/actions';
import { decide } from '../../../src/domain/ticket/lifecycle';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import { at, H, ticket } from './helpers';

const NOW = at('2026-11-23T11:00', 'Europe/Berlin');

function accepted(d: Decision): Extract<Decision, { ok: true }> {
  if (!d.ok) throw new Error(`refused: ${d.code} ${d.reason}`);
  return d;
}

function refused(d: Decision): Extract<Decision, { ok: false }> {
  if (d.ok) throw new Error(`accepted: ${JSON.stringify(d)}`);
  return d;
}

const smartertools = (version: string, product = 'SmarterMail'): TicketState =>
  ticket({
    status: 'in_progress',
    policy: getPolicyPreset('smartertools-standard'),
    product: { product, version },
  });

describe('refusal reasons', () => {
  it('cannot resolve a closed ticket', () => {
    expect(refused(decide(ticket({ status: 'closed' }), { type: 'resolve', kind: 'solution' }, NOW)).reason).toBe(
      'cannot resolve a closed ticket; reopen it first',
    );
  });

  it('cannot close an open ticket', () => {
    expect(refused(decide(ticket({ status: 'in_progress' }), { type: 'close', by: 'staff' }, NOW)).reason).toBe(
      'cannot close an in-progress ticket; resolve it first',
    );
  });

  it('rejects malformed payloads with invalid_action rather than throwing', () => {
    const bogusKind = { type: 'resolve', kind: 'magic' } as unknown as Parameters<typeof decide>[1];
    expect(refused(decide(ticket({ status: 'in_progress' }), bogusKind, NOW)).code).toBe('invalid_action');
    expect(refused(decide(ticket(), { type: 'assign', assignee: '  ' }, NOW)).code).toBe('invalid_action');
    const unknown = { type: 'teleport' } as unknown as Parameters<typeof decide>[1];
    expect(refused(decide(ticket(), unknown, NOW)).reason).toBe('unknown action "teleport"');
  });
});

describe('000 legacy versions: response only, no bug fixes', () => {
  it.each([
    ['SmarterMail', '16.3.6830'],
    ['SmarterMail', '15.0'],
    ['smartermail', '16'],
    ['SmarterTrack', '14.4'],
    ['SmarterStats', '11.9.1'],
  ])('%s %s cannot be escalated to development', (product, version) => {
    const d = refused(decide(smartertools(version, product), { type: 'escalate' }, NOW));
    expect(d.code).toBe('legacy_version');
    expect(d.reason).toContain('or earlier');
  });

  it.each([
    ['SmarterMail', '17.0.1'],
    ['SmarterMail', '100.0.9000'],
    ['SmarterTrack', '15.1'],
    ['SmarterStats', '12.0'],
  ])('%s %s is escalated normally', (product, version) => {
    expect(accepted(decide(smartertools(version, product), { type: 'escalate' }, NOW)).next).toBe('escalated');
  });

  it('an unreadable version must be recorded before escalating', () => {
    expect(refused(decide(smartertools('latest'), { type: 'escalate' }, NOW)).code).toBe('version_unknown');
  });

  it('the legacy rule still allows every other kind of help (respond, resolve with a workaround)', () => {
    const legacy = smartertools('16.0');
    expect(accepted(decide(legacy, { type: 'respond' }, NOW)).next).toBe('answered');
    expect(accepted(decide(legacy, { type: 'resolve', kind: 'workaround' }, NOW)).next).toBe('resolved');
  });
});

describe('clock effects', () => {
  it('the first public response stops the first-response clock', () => {
    expect(accepted(decide(ticket(), { type: 'respond' }, NOW)).clockEffects).toEqual([
      { type: 'stop', kind: 'first_response' },
      { type: 'restart', kind: 'periodic_update' },
    ]);
  });

  it('asking the customer for information answers them and pauses the resolution clock', () => {
    expect(accepted(decide(ticket({ status: 'in_progress' }), { type: 'request_info' }, NOW)).clockEffects).toEqual([
      // A no-op once answered; the first response when a ticket was escalated before anyone replied.
      { type: 'stop', kind: 'first_response' },
      { type: 'stop', kind: 'next_reply' },
      { type: 'pause', kind: 'resolution' },
      { type: 'stop', kind: 'periodic_update' },
    ]);
    expect(accepted(decide(ticket({ status: 'new' }), { type: 'request_info' }, NOW)).clockEffects[0]).toEqual({
      type: 'stop',
      kind: 'first_response',
    });
  });

  it('the customer reply resumes the resolution clock and starts a next-reply clock', () => {
    const d = accepted(decide(ticket({ status: 'waiting_on_customer' }), { type: 'customer_reply' }, NOW));
    expect(d.next).toBe('in_progress');
    expect(d.clockEffects).toEqual([
      { type: 'resume', kind: 'resolution' },
      { type: 'start', kind: 'next_reply' },
      { type: 'restart', kind: 'periodic_update' },
    ]);
  });

  it('a reply while development still works returns the ticket to escalated', () => {
    const d = accepted(decide(ticket({ status: 'waiting_on_customer', devTicketOpen: true }), { type: 'customer_reply' }, NOW));
    expect(d.next).toBe('escalated');
  });

  it('a customer message before the first response changes nothing: the first-response clock covers it', () => {
    expect(accepted(decide(ticket(), { type: 'customer_reply' }, NOW))).toEqual({
      ok: true,
      outcome: 'transition',
      next: 'new',
      clockEffects: [],
      sideEffects: [],
    });
  });

  it('priority change retargets every running clock at the new priority', () => {
    const d = accepted(decide(ticket({ status: 'in_progress' }), { type: 'change_priority', priority: 'urgent' }, NOW));
    expect(d.clockEffects).toEqual([{ type: 'retarget', policyId: 'smartwork-emea', priority: 'urgent', resolutionLevel: 'first' }]);
    expect(d.sideEffects).toEqual([{ type: 'set_priority', priority: 'urgent' }]);
  });

  it('priority change refuses the same priority and priorities the policy does not offer', () => {
    expect(refused(decide(ticket(), { type: 'change_priority', priority: 'normal' }, NOW)).code).toBe('priority_unchanged');
    const mailup = ticket({ policy: getPolicyPreset('mailup-standard') });
    const d = refused(decide(mailup, { type: 'change_priority', priority: 'urgent' }, NOW));
    expect(d.reason).toBe('policy mailup-standard@3 offers normal priority, not urgent');
  });

  it('escalation opens a development ticket and moves resolution to the second level (003)', () => {
    const d = accepted(decide(ticket({ status: 'answered', priority: 'high' }), { type: 'escalate' }, NOW));
    expect(d.clockEffects).toEqual([{ type: 'retarget', policyId: 'smartwork-emea', priority: 'high', resolutionLevel: 'second' }]);
    expect(d.sideEffects).toEqual([{ type: 'open_dev_ticket' }, { type: 'set_resolution_level', level: 'second' }]);
  });

  it('development finishing hands the ticket back to support, who owe the customer a reply', () => {
    const d = accepted(decide(ticket({ status: 'escalated', devTicketOpen: true }), { type: 'dev_resolved' }, NOW));
    expect(d.next).toBe('in_progress');
    expect(d.clockEffects).toEqual([{ type: 'start', kind: 'next_reply' }]);
    expect(d.sideEffects).toEqual([{ type: 'close_dev_ticket' }]);
  });

  it('a workaround resolves the ticket while the development ticket stays open', () => {
    const state = ticket({ status: 'escalated', devTicketOpen: true });
    const d = accepted(decide(state, { type: 'resolve', kind: 'workaround' }, NOW));
    expect(d.next).toBe('resolved');
    expect(d.sideEffects).toEqual([{ type: 'record_resolution', kind: 'workaround' }]);
    expect(d.clockEffects).toContainEqual({ type: 'schedule_auto_close' });
    expect(d.clockEffects).toContainEqual({ type: 'stop', kind: 'resolution' });
    expect(accepted(decide({ ...state, status: 'resolved' }, { type: 'dev_update' }, NOW)).next).toBe('resolved');
  });
});

describe('003 scope exclusions', () => {
  const mailup = (policyId: string) => ticket({ status: 'answered', policy: getPolicyPreset(policyId) });

  it('resolves out of scope only on a topic the policy excludes, as any resolution ends the ticket', () => {
    const d = accepted(decide(mailup('mailup-standard'), { type: 'resolve', kind: 'out_of_scope', topic: 'html_code' }, NOW));
    expect(d.next).toBe('resolved');
    expect(d.clockEffects).toContainEqual({ type: 'stop', kind: 'resolution' });
    expect(d.sideEffects).toEqual([{ type: 'record_resolution', kind: 'out_of_scope' }]);
    // "strategy" is Premium's exclusion only.
    expect(accepted(decide(mailup('mailup-premium'), { type: 'resolve', kind: 'out_of_scope', topic: 'strategy' }, NOW)).next).toBe(
      'resolved',
    );
    const off = refused(decide(mailup('mailup-standard'), { type: 'resolve', kind: 'out_of_scope', topic: 'strategy' }, NOW));
    expect(off.code).toBe('topic_not_excluded');
    expect(off.reason).toContain('it excludes message_composition, html_code, deliverability');
    const none = refused(decide(mailup('smartwork-emea'), { type: 'resolve', kind: 'out_of_scope', topic: 'html_code' }, NOW));
    expect(none.reason).toBe('policy smartwork-emea@1 does not exclude "html_code"; it excludes no topic');
  });
});

describe('000 emergency tickets', () => {
  const emergency = (status: TicketState['status']): TicketState =>
    ticket({
      status,
      policy: getPolicyPreset('smartertools-emergency'),
      priority: 'urgent',
      emergency: 'active',
      product: { product: 'SmarterMail', version: '100.0.9000' },
    });

  it('mitigation moves the ticket onto the business-hours policy', () => {
    const d = accepted(decide(emergency('answered'), { type: 'mark_mitigated' }, NOW));
    expect(d.next).toBe('mitigated');
    expect(d.clockEffects).toEqual([{ type: 'retarget', policyId: 'smartertools-standard', priority: 'urgent', resolutionLevel: 'first' }]);
    expect(d.sideEffects).toEqual([
      { type: 'set_emergency', phase: 'mitigated' },
      { type: 'switch_policy', policyId: 'smartertools-standard' },
      { type: 'set_priority', priority: 'urgent' },
    ]);
  });

  it('mitigating while waiting on the customer restarts the resolution clock', () => {
    const d = accepted(decide(emergency('waiting_on_customer'), { type: 'mark_mitigated' }, NOW));
    expect(d.clockEffects).toContainEqual({ type: 'resume', kind: 'resolution' });
  });

  const sold = (status: TicketState['status'], amountMinor: number, refundOnDowngrade: boolean): TicketState => ({
    ...emergency(status),
    sale: { charged: { amountMinor, currency: 'USD' }, refundOnDowngrade },
  });
  const refunds = (d: Decision) => accepted(d).sideEffects.filter((e) => e.type === 'refund');

  it('a downgrade records the refund of what the sale charged and continues at normal priority', () => {
    // A price the catalog changed: the refund is the charge, not the policy's $349.
    const d = accepted(decide(sold('new', 29_900, true), { type: 'downgrade_emergency' }, NOW));
    expect(d.next).toBe('new');
    expect(refunds(d)).toEqual([{ type: 'refund', amount: { amountMinor: 29_900, currency: 'USD' } }]);
    expect(d.sideEffects).toContainEqual({ type: 'set_priority', priority: 'normal' });
    expect(d.clockEffects).toEqual([{ type: 'retarget', policyId: 'smartertools-standard', priority: 'normal', resolutionLevel: 'first' }]);
  });

  it('a downgrade refunds nothing where the catalog sold the ticket non-refundable, or where nothing was charged', () => {
    const kept = accepted(decide(sold('answered', 34_900, false), { type: 'downgrade_emergency' }, NOW));
    expect(refunds(kept)).toEqual([]);
    expect(kept.sideEffects).toEqual([
      { type: 'set_emergency', phase: 'downgraded' },
      { type: 'switch_policy', policyId: 'smartertools-standard' },
      { type: 'set_priority', priority: 'normal' },
    ]);
    expect(refunds(decide(emergency('answered'), { type: 'downgrade_emergency' }, NOW))).toEqual([]);
  });

  it.each([
    ['a customer reply', { type: 'customer_reply' }, 'resolved'],
    ['a staff reopen', { type: 'reopen' }, 'resolved'],
    ['a staff reopen after the close', { type: 'reopen' }, 'closed'],
  ] as const)('a resolved emergency picked up by %s continues on the business-hours fallback, unrefunded', (_, action, status) => {
    const state: TicketState = { ...sold(status, 34_900, true), reopenUntil: NOW + H };
    const d = accepted(decide(state, action, NOW));
    expect(d.next).toBe('in_progress');
    // The resolution is resumed first and the reply clock started last, both on the fallback's terms.
    expect(d.clockEffects).toEqual([
      { type: 'resume', kind: 'resolution' },
      { type: 'retarget', policyId: 'smartertools-standard', priority: 'urgent', resolutionLevel: 'first' },
      { type: 'start', kind: 'next_reply' },
      { type: 'restart', kind: 'periodic_update' },
      { type: 'cancel_auto_close' },
    ]);
    expect(d.sideEffects).toEqual([
      { type: 'set_emergency', phase: 'mitigated' },
      { type: 'switch_policy', policyId: 'smartertools-standard' },
      { type: 'set_priority', priority: 'urgent' },
    ]);
  });

  it('a resolved emergency already mitigated reopens where it stood', () => {
    const state: TicketState = {
      ...emergency('resolved'),
      emergency: 'mitigated',
      policy: getPolicyPreset('smartertools-standard'),
      reopenUntil: NOW + H,
    };
    expect(accepted(decide(state, { type: 'customer_reply' }, NOW)).sideEffects).toEqual([]);
  });

  it('an emergency cannot be downgraded twice, nor after mitigation', () => {
    expect(refused(decide({ ...emergency('answered'), emergency: 'downgraded' }, { type: 'downgrade_emergency' }, NOW)).code).toBe(
      'already_downgraded',
    );
    expect(refused(decide({ ...emergency('answered'), emergency: 'mitigated' }, { type: 'downgrade_emergency' }, NOW)).code).toBe(
      'already_mitigated',
    );
  });

  it('legacy installations still get the emergency response but no development escalation', () => {
    const legacy = { ...emergency('answered'), product: { product: 'SmarterMail', version: '16.3' } };
    expect(refused(decide(legacy, { type: 'escalate' }, NOW)).code).toBe('legacy_version');
    expect(accepted(decide(legacy, { type: 'mark_mitigated' }, NOW)).next).toBe('mitigated');
  });
});

describe('reopen window, follow-ups and auto-close', () => {
  const resolved = ticket({ status: 'resolved', reopenUntil: NOW, autoCloseAt: NOW + H });

  it('reopens up to and including the last instant of the window', () => {
    const d = accepted(decide(resolved, { type: 'reopen' }, NOW));
    expect(d.next).toBe('in_progress');
    expect(d.clockEffects).toEqual([
      { type: 'resume', kind: 'resolution' },
      { type: 'start', kind: 'next_reply' },
      { type: 'restart', kind: 'periodic_update' },
      { type: 'cancel_auto_close' },
    ]);
  });

  it('refuses a reopen after the window, naming when it ended', () => {
    const d = refused(decide({ ...resolved, status: 'closed' }, { type: 'reopen' }, NOW + 1));
    expect(d.code).toBe('reopen_window_passed');
    expect(d.reason).toBe(`the reopen window ended at ${new Date(NOW).toISOString()}; a new customer message starts a follow-up ticket`);
  });

  it('a customer reply to a closed ticket starts a follow-up ticket and leaves this one closed', () => {
    expect(decide({ ...resolved, status: 'closed' }, { type: 'customer_reply' }, NOW)).toEqual({
      ok: true,
      outcome: 'follow_up',
      next: 'closed',
      clockEffects: [],
      sideEffects: [{ type: 'open_follow_up_ticket' }],
    });
  });

  it('a customer reply to a resolved ticket reopens it within the window, and is a follow-up after it', () => {
    expect(accepted(decide(resolved, { type: 'customer_reply' }, NOW)).outcome).toBe('transition');
    expect(accepted(decide(resolved, { type: 'customer_reply' }, NOW + 1)).outcome).toBe('follow_up');
  });

  it('reopening a ticket whose development ticket is still open returns it to escalated', () => {
    expect(accepted(decide({ ...resolved, devTicketOpen: true }, { type: 'reopen' }, NOW)).next).toBe('escalated');
  });

  it('the automatic close happens only once its business period has passed', () => {
    const early = refused(decide(resolved, { type: 'close', by: 'system' }, NOW + H - 1));
    expect(early.code).toBe('auto_close_not_due');
    expect(early.reason).toContain(new Date(NOW + H).toISOString());
    expect(accepted(decide(resolved, { type: 'close', by: 'system' }, NOW + H))).toEqual({
      ok: true,
      outcome: 'transition',
      next: 'closed',
      clockEffects: [],
      sideEffects: [],
    });
    const unscheduled = ticket({ status: 'resolved' });
    expect(refused(decide(unscheduled, { type: 'close', by: 'system' }, NOW)).code).toBe('auto_close_not_due');
  });

  it('staff may close a resolved ticket before the automatic close, which is then cancelled', () => {
    expect(accepted(decide(resolved, { type: 'close', by: 'staff' }, NOW)).clockEffects).toEqual([{ type: 'cancel_auto_close' }]);
  });
});
