import { advance, reinstate, type PinnedCatalog, type Refusal, type SubscriptionState } from '../domain/subscription';

export interface ReinstatementQuote {
  currency: string;
  totalMinor: number;
  lines: Array<{ kind: string; description: string; amountMinor: number; periodStart?: number; periodEnd?: number }>;
  /** Third-party licenses the reinstatement switches back on (004). */
  licenses: string[];
  /** The paid-through end it would give. */
  termEnd: number;
}

/**
 * What `POST …/reinstate` would charge at `now`: the same pure operations the workflow runs (the lapse
 * its timer may not have recorded yet, then the reinstatement on the catalog the API would bring), with
 * nothing recorded. 004: the Support Reinstatement Fee, the renewals backfilled to the original expiry and
 * "additional reactivation fees" of the third-party licenses.
 */
export function quoteReinstatement(state: SubscriptionState, now: number, catalog?: PinnedCatalog): ReinstatementQuote | Refusal {
  const options = catalog ? { renewalCatalog: catalog } : undefined;
  const result = reinstate(advance(state, now, options).state, now, options);
  if (!result.ok) return result;
  const quote: ReinstatementQuote = {
    currency: result.state.currency,
    totalMinor: 0,
    lines: [],
    licenses: [],
    termEnd: result.state.termEnd,
  };
  for (const effect of result.effects) {
    if (effect.type === 'invoice') {
      quote.currency = effect.currency;
      quote.totalMinor = effect.totalMinor;
      quote.lines = effect.lines.map(({ kind, description, amountMinor, periodStart, periodEnd }) => ({
        kind,
        description,
        amountMinor,
        ...(periodStart === undefined ? {} : { periodStart }),
        ...(periodEnd === undefined ? {} : { periodEnd }),
      }));
    }
    if (effect.type === 'features-on') quote.licenses = effect.licenses ?? [];
  }
  return quote;
}
