import type { Transporter } from 'nodemailer';
import type { Db } from '../src/db/client';
import { classified } from './failures';
import { createAccountActivities } from './account-activities';
import { createCatalogActivities } from './catalog-activities';
import { createClaimActivities } from './claim-activities';
import { createMailer } from './mail-activities';
import { createPolicyActivities } from './policy-activities';
import { createTicketActivities } from './ticket-activities';
import { createTicketCommitActivities } from './ticket-commit';
import { createSubscriptionActivities } from './subscription-activities';

export interface ActivityDeps {
  db: Db;
  transport: Transporter;
  mailFrom: string;
  /** Domain of every Message-ID (MAIL_DOMAIN): the thread's identities must not change between deployments. */
  mailDomain?: string;
}

/** Activities are built from injected dependencies so tests can pass a real DB and a real SMTP server. */
export function createActivities(deps: ActivityDeps) {
  const { sendEmail, deliverClaimed } = createMailer({
    db: deps.db,
    transport: deps.transport,
    from: deps.mailFrom,
    messageIdDomain: deps.mailDomain,
  });
  return classified({
    ...createTicketActivities({ db: deps.db, mailDomain: deps.mailDomain }),
    ...createTicketCommitActivities({ db: deps.db, send: sendEmail, deliverClaimed, mailDomain: deps.mailDomain }),
    sendEmail,
    ...createSubscriptionActivities({ db: deps.db }),
    ...createPolicyActivities({ db: deps.db }),
    ...createAccountActivities({ db: deps.db }),
    ...createCatalogActivities({ db: deps.db }),
    ...createClaimActivities(),
  });
}

export type Activities = ReturnType<typeof createActivities>;
