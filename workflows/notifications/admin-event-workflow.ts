import { acts, withSummary } from '../activity-options';
import { RefusedEffects } from '../refused-effects';
import type { AdminEventInput } from './contract';

/**
 * 004: "Receive email notifications of system administration issues or events to proactively respond to
 * situations before users ever notice." Mails every administrator contact through the outbox, whose key
 * names the event and the recipient, so a retried activity or a restarted run sends each mail once. A
 * recipient the mail server refuses for good is left to an operator (NeedsAttention) without holding up
 * the others.
 */
export async function adminEventWorkflow(input: AdminEventInput): Promise<void> {
  const refused = new RefusedEffects();
  const details = () => [`Admin event ${input.eventId} of ${input.customerId}`, ...refused.lines()].join('\n');
  await Promise.all(
    input.mails.map((mail) =>
      refused.guard(
        `mail to ${mail.to}`,
        () => acts.sendEmail.executeWithOptions(withSummary(`notify ${mail.to}: ${mail.subject}`), [mail]),
        details,
      ),
    ),
  );
}
