/**
 * Failure types an activity raises when its effect was refused for good (activities/failures.ts): the
 * workflow records them for an operator and goes on with its timers instead of retrying forever.
 */
export const DATA_REFUSED = 'data_refused';
export const MAIL_REFUSED = 'mail_refused';
export const PERMANENT_FAILURES: readonly string[] = [DATA_REFUSED, MAIL_REFUSED];
