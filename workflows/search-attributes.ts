import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';

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
/** A write or mail was refused for good: an operator must look (the workflow's current details say what). */
export const NeedsAttentionKey = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL);

export const customSearchAttributes = [
  CustomerIdKey,
  SupportTierKey,
  TicketPriorityKey,
  TicketStatusKey,
  SlaStateKey,
  SlaBreachedKey,
  NextDeadlineKey,
  SubscriptionStatusKey,
  NeedsAttentionKey,
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

/**
 * The ticket attributes that change with its state: set at start and upserted on every change, from this
 * one function. A missing next deadline (nothing pending) clears the attribute.
 */
export function ticketSearchAttributes(v: {
  status: string;
  priority: string;
  slaState: string;
  nextDeadline: number | null;
}): SearchAttributeUpdatePair[] {
  return [
    { key: TicketStatusKey, value: v.status },
    { key: TicketPriorityKey, value: v.priority },
    { key: SlaStateKey, value: v.slaState },
    { key: SlaBreachedKey, value: v.slaState === 'breached' },
    { key: NextDeadlineKey, value: v.nextDeadline === null ? null : new Date(v.nextDeadline) },
  ];
}
