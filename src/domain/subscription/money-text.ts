/**
 * "$1,234.50" from integer minor units, with the currency's own number of minor digits (JPY has none).
 * Intl is deterministic for a fixed locale, so the subscription workflow can render mail with it.
 */
export function formatMoney(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}
