import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes operators filter on in the Temporal UI. Registered on every server the project
 * starts (dev server flags, test server, compose's setup job), from this one list.
 */
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const SupportTierKey = defineSearchAttributeKey('SupportTier', SearchAttributeType.KEYWORD);
export const TicketPriorityKey = defineSearchAttributeKey('TicketPriority', SearchAttributeType.KEYWORD);
export const TicketStatusKey = defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD);
export const SlaStateKey = defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD);
export const SlaBreachedKey = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);
export const NextDeadlineKey = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
export const SubscriptionStatusKey = defineSearchAttributeKey('SubscriptionStatus', SearchAttributeType.KEYWORD);

export const customSearchAttributes = [
  CustomerIdKey,
  SupportTierKey,
  TicketPriorityKey,
  TicketStatusKey,
  SlaStateKey,
  SlaBreachedKey,
  NextDeadlineKey,
  SubscriptionStatusKey,
] as const;

/** Type names as the Temporal CLI's `--search-attribute Name=Type` flag spells them. */
export const cliTypeName: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};
