import { accountStoreFor } from '../accounts/cached-account-store';
import type { AppDeps } from '../api/app';
import { dbCatalogStore } from '../catalog/catalog-store';
import { quoteStore } from '../quotes/quote-store';
import { dbCalendarStore } from '../tickets/calendar-store';
import type { TicketOpener } from '../tickets/open-ticket';

/** What a mail needs to open a ticket: the same stores and rules as `POST /v1/tickets`. */
export function inboundOpener(deps: AppDeps): TicketOpener {
  return {
    client: deps.client,
    policies: deps.policies,
    accounts: deps.accounts ?? accountStoreFor(deps),
    contacts: deps.contacts,
    ...(deps.entitlements ? { entitlements: deps.entitlements } : {}),
    catalog: deps.catalog ?? dbCatalogStore(deps.db),
    quotes: quoteStore(deps.db, deps.changes),
    calendars: deps.calendars ?? dbCalendarStore(deps.db),
    ...(deps.taskQueue ? { taskQueue: deps.taskQueue } : {}),
  };
}
