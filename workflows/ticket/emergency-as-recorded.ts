import { patched } from '@temporalio/workflow';
import { decide, type Decision, type SideEffect, type TicketAction, type TicketState } from '../../src/domain/ticket/core';

/**
 * 000: "After the critical issue is addressed, emergency tickets are handled during business hours." A
 * resolved emergency picks up again on its fallback policy; a history recorded before reopened it on the
 * 24/7 policy, so its replay decides as then: on the ticket read as no emergency.
 */
export const EMERGENCY_REOPEN_PATCH = 'emergency-reopens-on-fallback';

/**
 * 000: "the emergency support costs may be refunded": the sale's refundOnDowngrade decides, and the refund
 * is what was charged. A history recorded before refunded the policy's amount on every downgrade (an
 * activity a downgrade without refund no longer runs), so its replay decides as then.
 */
export const DOWNGRADE_REFUND_PATCH = 'downgrade-refund-from-sale';

const refunds = (d: Decision) => (d.ok ? JSON.stringify(d.sideEffects.filter((e: SideEffect) => e.type === 'refund')) : '');

/**
 * The decision `d` (taken on `state`) as the workflow took it when the history being replayed was recorded.
 * patched() only where the rules above decide otherwise, so other actions record no marker; handlers only.
 */
export function emergencyAsRecorded(state: TicketState, act: TicketAction, now: number, d: Decision): Decision {
  if (!d.ok || state.emergency !== 'active') return d;
  const reopens = (state.status === 'resolved' || state.status === 'closed') && d.sideEffects.some((e) => e.type === 'switch_policy');
  if (reopens) {
    if (patched(EMERGENCY_REOPEN_PATCH)) return d;
    const { emergency: _addressed, ...noEmergency } = state;
    return decide(noEmergency, act, now);
  }
  const policyRefund = state.policy.emergency?.refund;
  if (act.type !== 'downgrade_emergency' || !policyRefund) return d;
  const before = decide({ ...state, sale: { charged: policyRefund, refundOnDowngrade: true } }, act, now);
  return refunds(before) === refunds(d) || patched(DOWNGRADE_REFUND_PATCH) ? d : before;
}
