/** The question a ticket asks at its opening instant; the subscription workflow answers it. */
export type EntitlementAnswer =
  | { covered: true; subscriptionId: string; tier: string }
  | { covered: false; code: string; reason: string };

export interface EntitlementCheck {
  claim(req: { customerId: string; ticketId: string; channel: 'phone' | 'email' | 'web'; at: number }): Promise<EntitlementAnswer>;
}
