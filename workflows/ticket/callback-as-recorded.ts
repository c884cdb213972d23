import { patched } from '@temporalio/workflow';
import { requestedCallbackAt, type OpeningOptions, type TicketAction } from '../../src/domain/ticket/core';
import type { OpenTicketInput } from './contract';

/**
 * 003: "indicating the date/time … to call you back": the callback clock is not due before the time the
 * customer asked for. A history recorded before counted the call from the message whatever was asked
 * (the deadline its timers were set for), so its replay takes the message without the requested time.
 */
export const CALLBACK_AT_PATCH = 'callback-due-not-before-requested-time';

/** A phone message as the workflow took it when the history being replayed was recorded; handlers only. */
export function callbackAsRecorded(act: TicketAction): TicketAction {
  if (act.type !== 'phone_message' || act.callbackAt === undefined || patched(CALLBACK_AT_PATCH)) return act;
  const { callbackAt: _countedFromTheMessage, ...message } = act;
  return message;
}

/** A phone ticket's opening call back: not due before its `fields.callbackAt` where the history allows. */
export function openingCallback(input: OpenTicketInput, phoneMessage: boolean): OpeningOptions {
  if (!phoneMessage) return {};
  const callbackAt = requestedCallbackAt(input.fields.callbackAt, input.openedAt);
  if (callbackAt === undefined || !patched(CALLBACK_AT_PATCH)) return { phoneMessage };
  return { phoneMessage, callbackAt };
}
