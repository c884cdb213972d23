export type { Catalog, CatalogVersion, HourlyRate, PinnedCatalog, ReinstatementQuoteTerms, TicketProduct } from './types';
export { presetCatalog } from './preset-catalog';
export { billableMinutes, hourlyAmount, releaseBehind } from './pricing';
export { familyPlans, hourlyRateFor } from './lookup';
export { catalogProblems, type CatalogProblem } from './validate';
export { draftQuote, QuoteLineKind, type QuoteDraft, type QuoteLine } from './quote';
