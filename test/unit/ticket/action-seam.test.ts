import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ticketActionBodies, type TicketActionBodies } from '../../../src/api/ticket-schemas';
import { TICKET_ACTION_NAMES, ticketActions } from '../../../workflows/ticket/contract';

describe('the ticket action seam', () => {
  it('refuses, at compile time, a request body that drifts from its update argument', () => {
    // `tsc --noEmit` (npm test) fails if either of these stops being a type error.
    // @ts-expect-error the assign update needs the assignee's email
    const missingField: TicketActionBodies['assign'] = z.strictObject({ agent: z.string(), assignee: z.string() });
    // @ts-expect-error a priority is one the domain knows, not any text
    const wrongType: TicketActionBodies['priority'] = z.strictObject({ agent: z.string(), priority: z.string() });
    expect(missingField.safeParse({ agent: 'a', assignee: 'b' }).success).toBe(true);
    expect(wrongType.safeParse({ agent: 'a', priority: 'whenever' }).success).toBe(true);
  });

  it('declares every action once: one body, one update name that running workflows know', () => {
    expect(Object.keys(ticketActionBodies).sort()).toEqual([...TICKET_ACTION_NAMES].sort());
    expect(Object.fromEntries(TICKET_ACTION_NAMES.map((n) => [n, ticketActions[n].update.name]))).toEqual({
      respond: 'respond',
      'request-info': 'requestInfo',
      reply: 'customerReply',
      'phone-message': 'phoneMessage',
      callback: 'callBack',
      priority: 'changePriority',
      assign: 'assign',
      escalate: 'escalateToDevelopment',
      mitigate: 'markMitigated',
      downgrade: 'downgradeEmergency',
      resolve: 'resolve',
      reopen: 'reopen',
      close: 'close',
    });
  });
});
