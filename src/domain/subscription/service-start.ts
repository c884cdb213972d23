/**
 * 004: "Subscription service period begins on the date indicated on invoice or when payment is
 * received, whichever is earliest." An explicit start wins; otherwise the earliest of the two dates
 * given; undefined when none is, so the caller's clock decides.
 */
export function serviceStart(dates: { startAt?: number; invoiceDate?: number; paymentReceivedAt?: number }): number | undefined {
  if (dates.startAt !== undefined) return dates.startAt;
  const given = [dates.invoiceDate, dates.paymentReceivedAt].filter((d): d is number => d !== undefined);
  return given.length ? Math.min(...given) : undefined;
}
