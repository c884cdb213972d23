/**
 * 003: "leave a message with our support team, indicating the date/time/contact phone to call you back".
 * The date/time travels as text (a phone message's `callbackAt`, a phone ticket's `fields.callbackAt`);
 * only an instant with an offset is read, since a local time would mean whatever zone the reader runs in.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * The instant the customer asked to be called back, when it is later than `now`; undefined when none was
 * asked for, it is not an instant with an offset, or it has passed (the call is then owed as if no time
 * had been given: from the message, within the policy's target).
 */
export function requestedCallbackAt(text: unknown, now: number): number | undefined {
  if (typeof text !== 'string' || !INSTANT.test(text.trim())) return undefined;
  const at = Date.parse(text.trim());
  return Number.isFinite(at) && at > now ? at : undefined;
}
