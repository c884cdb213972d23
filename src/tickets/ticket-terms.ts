/** What the API needs to know about a policy when a ticket opens; the ticket domain supplies it. */
export type TermsResult =
  | { ok: true; policyId: string; policyVersion: number; tier: string; displayZone: string; firstResponseDueAt: number }
  | { ok: false; code: string; reason: string };

export interface TicketTerms {
  resolve(policyId: string, priority: string, openedAt: number): TermsResult;
}
