import { getExternalWorkflowHandle, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Effect, SubscriptionState } from '../../src/domain/subscription';
import { acts } from '../activity-options';
import { RefusedEffects } from '../refused-effects';
import { CustomerIdKey, SubscriptionStatusKey, SupportTierKey } from '../search-attributes';
import { changeContractSignal, ticketWorkflowId } from '../ticket/contract';
import { renderEmail } from './email-text';
import { entitlementPeriods } from './entitlement-periods';
import type { SubscriptionMachine } from './subscription-machine';

type InvoiceEffect = Extract<Effect, { type: 'invoice' }>;

/**
 * Runs queued effects one batch at a time, in the order they were produced, then rewrites the read
 * model. Handlers and the main loop share one chain, so two updates never interleave their effects.
 * Every activity is keyed (invoice key, email key, event key, version), so a retry changes nothing.
 */
export function createEffectExecutor(m: SubscriptionMachine): () => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  const refusals = new RefusedEffects();
  const details = () => [`**${m.state.status}** · ${m.state.planId} · tier ${m.state.tier}`, ...refusals.lines()].join('\n');
  const guard = (what: string, run: () => Promise<unknown>) => refusals.guard(what, run, details);
  // What the run already carries (set at start, or copied over at continue-as-new), so only changes are upserted.
  const carried = workflowInfo().typedSearchAttributes;
  let attributes = `${carried.get(CustomerIdKey) ?? ''}|${carried.get(SupportTierKey) ?? ''}|${carried.get(SubscriptionStatusKey) ?? ''}`;

  const syncSearchAttributes = (state: SubscriptionState) => {
    const next = `${state.customerId}|${state.tier}|${state.status}`;
    if (next === attributes) return;
    attributes = next;
    upsertSearchAttributes([
      { key: CustomerIdKey, value: state.customerId },
      { key: SupportTierKey, value: state.tier },
      { key: SubscriptionStatusKey, value: state.status },
    ]);
  };

  // An upgrade or downgrade moves the customer's open tickets onto the new plan's policy (issue 13, item 8).
  let planId = m.state.planId;
  const moveTickets = async (customerId: string) => {
    const plan = await acts.planCustomerTicketMoves({ customerId });
    // A ticket whose workflow has ended has no deadline left to move: its signal's failure is expected.
    await Promise.allSettled(
      plan.moves.map(({ ticketId, policyId, coveredBy, changeId }) =>
        getExternalWorkflowHandle(ticketWorkflowId(ticketId)).signal(changeContractSignal, {
          ...plan.terms[policyId]!,
          coveredBy,
          changeId,
        }),
      ),
    );
  };

  const execute = (effect: Effect, at: number, state: SubscriptionState, invoice?: InvoiceEffect) =>
    guard(effect.type, () => run(effect, at, state, invoice));
  const run = async (effect: Effect, at: number, state: SubscriptionState, invoice?: InvoiceEffect) => {
    const event = (kind: string, data: Record<string, unknown> = {}) =>
      acts.recordSubscriptionEvent({ subscriptionId: state.id, eventKey: `${kind}:${at}`, kind, at, data });
    switch (effect.type) {
      case 'invoice':
        await acts.recordInvoice({
          subscriptionId: state.id,
          customerId: state.customerId,
          invoiceKey: effect.invoiceKey,
          currency: effect.currency,
          totalMinor: effect.totalMinor,
          lines: effect.lines,
          instalments: effect.instalments,
          at,
        });
        return;
      case 'email': {
        const { subject, text } = renderEmail(effect, state, invoice);
        await acts.sendEmail({ dedupeKey: effect.emailKey, to: m.contactEmail, subject, text });
        return;
      }
      case 'features-off':
      case 'features-on':
        // Only the activity's input grows with the licenses (004), so recorded histories replay unchanged.
        await event(effect.type, { features: effect.features, ...(effect.licenses ? { licenses: effect.licenses } : {}) });
        return;
      case 'schedule-purge':
        await event('purge-scheduled', { purgeAt: effect.at });
        return;
      case 'cancel-purge':
        await event('purge-cancelled');
        return;
      case 'purge-config-backups':
        await event('config-backups-purged');
        return;
    }
  };

  const drain = async () => {
    syncSearchAttributes(m.state);
    while (m.hasWork()) {
      const { batches, persist } = m.take();
      for (const batch of batches) {
        // An operation's mail quotes the invoice it produced just before it.
        let invoice: InvoiceEffect | undefined;
        for (const effect of batch.effects) {
          if (effect.type === 'invoice') invoice = effect;
          await execute(effect, batch.at, m.state, invoice);
        }
      }
      if (!persist) continue;
      const state = m.state;
      syncSearchAttributes(state);
      const record = {
        state,
        contactEmail: m.contactEmail,
        workflowId: workflowInfo().workflowId,
        version: m.version,
        periods: entitlementPeriods(state),
        at: Date.now(),
      };
      await guard('record', () => acts.recordSubscription(record));
      if (state.planId !== planId) {
        planId = state.planId;
        if (patched('plan-change-moves-tickets')) await guard('move tickets', () => moveTickets(state.customerId));
      }
    }
  };

  return () => {
    tail = tail.then(drain);
    return tail;
  };
}
