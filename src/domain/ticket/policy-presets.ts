import type { PriorityTargets, RequiredField, SupportPolicy } from './policy';
import { HOUR_MS, type Target } from './types';

/**
 * One preset per vendor offering in shared/seeds. Numbers the vendor states are used verbatim; every
 * number the vendor left open is listed in the policy's `assumptions` so it can be shown and challenged.
 */

const business = (hours: number): Target => ({ ms: hours * HOUR_MS, clock: 'business' });
const wall = (hours: number): Target => ({ ms: hours * HOUR_MS, clock: 'wall' });

/** All seed calendars with a business day (10–18, 9–17, 9–13 + 14–18) have 8 open hours. */
const WORKING_DAY_H = 8;
const workingDays = (days: number): Target => business(days * WORKING_DAY_H);

const STANDARD_WARNINGS: SupportPolicy['warnings'] = { fractions: [0.75], basis: 'business' };
const STANDARD_AUTO_CLOSE = workingDays(5);
const STANDARD_REOPEN = workingDays(10);
/** No seed sets these windows; every policy on STANDARD_AUTO_CLOSE / STANDARD_REOPEN lists this line. */
const STANDARD_WINDOWS_ASSUMPTION =
  'No auto-close or reopen window is given: a resolved ticket closes after 5 business days and can be reopened for 10 business days after its resolution.';
const wallWindowsAssumption = (closeDays: number, reopenDays: number) =>
  `No auto-close or reopen window is given: a resolved ticket closes after ${closeDays} days and can be reopened for ${reopenDays} days after its resolution (wall clock, like its response target).`;

/** A build number as the vendor writes them: "100.0.9000", "16.3.6830", "v17". */
const VERSION_PATTERN = '^\\s*[vV]?\\d+(\\.\\d+)*\\s*$';

const SMARTERTOOLS_FIELDS: RequiredField[] = [
  { key: 'product', label: 'Product', oneOf: ['SmarterMail', 'SmarterTrack', 'SmarterStats'] },
  // The legacy rule ("NOT ... SmarterMail 16.x or earlier") reads the leading major number; a version
  // without one ("SmarterMail 16.3") would pass here and refuse every escalation later.
  {
    key: 'productVersion',
    label: 'Installed version',
    pattern: VERSION_PATTERN,
    patternHint: 'a build number such as 100.0.9000 or 16.3.6830',
  },
];

const SMARTERTOOLS_LEGACY: SupportPolicy['legacyVersions'] = [
  { product: 'SmarterMail', maxMajor: 16 },
  { product: 'SmarterTrack', maxMajor: 14 },
  { product: 'SmarterStats', maxMajor: 11 },
];

const smartertoolsEmergency: SupportPolicy = {
  id: 'smartertools-emergency',
  // 000: bought and submitted through the website; answered in the ticket.
  channels: ['web', 'email'],
  version: 2,
  name: 'SmarterTools Emergency 24x7 Ticket',
  calendarId: 'always-open-365',
  zone: 'America/Phoenix',
  defaultPriority: 'urgent',
  priorities: {
    urgent: { firstResponse: wall(1), nextReply: wall(1) },
  },
  warnings: { fractions: [0.5, 0.75], basis: 'wall' },
  autoCloseAfter: wall(7 * 24),
  reopenWindow: wall(14 * 24),
  requiredFields: SMARTERTOOLS_FIELDS,
  legacyVersions: SMARTERTOOLS_LEGACY,
  priorityRaisers: [],
  emergency: {
    fallbackPolicyId: 'smartertools-standard',
    fallbackPriority: 'urgent',
    downgradePriority: 'normal',
    refund: { amountMinor: 34_900, currency: 'USD' },
  },
  assumptions: [
    'The one-hour initial response is wall-clock time, 24/7/365, and never pauses (the vendor: "regardless of when the ticket was submitted").',
    'Until the critical issue is addressed, further replies are due within 1 wall-clock hour; the vendor promises only the first hour.',
    'No resolution target: the vendor states the ticket "is NOT dependent on the resolution of the issue".',
    'After mitigation the ticket continues on smartertools-standard at urgent priority; a downgrade continues there at normal priority.',
    wallWindowsAssumption(7, 14),
  ],
};

const smartertoolsStandard: SupportPolicy = {
  id: 'smartertools-standard',
  // 000: "These issues are dealt with during our normal business hours via email and/or phone call."
  channels: ['web', 'email', 'phone'],
  // Version 2 added the phone channel and the calendar's US holidays; tickets pinned on 1 keep it (superseded-presets).
  version: 2,
  name: 'SmarterTools standard support (Maintenance and Support)',
  calendarId: 'smartertools-business-hours',
  zone: 'America/Phoenix',
  defaultPriority: 'normal',
  priorities: {
    low: { firstResponse: business(16), nextReply: business(16) },
    normal: { firstResponse: business(8), nextReply: business(8) },
    high: { firstResponse: business(4), nextReply: business(4) },
    urgent: { firstResponse: business(2), nextReply: business(2) },
  },
  warnings: STANDARD_WARNINGS,
  autoCloseAfter: STANDARD_AUTO_CLOSE,
  reopenWindow: STANDARD_REOPEN,
  requiredFields: SMARTERTOOLS_FIELDS,
  legacyVersions: SMARTERTOOLS_LEGACY,
  priorityRaisers: [],
  assumptions: [
    'Business hours are the calendar preset smartertools-business-hours (Mon–Fri 08–17 America/Phoenix, itself an assumption).',
    'Those hours exclude the US federal public holidays (date-holidays US, type public, with their observed weekdays): the seed counts holidays outside "standard business hours" but names none, and SmarterTools is in Phoenix, Arizona.',
    'A phone ticket is one taken during a call ("via email and/or phone call"); the seed promises no call back, so no callback number or clock.',
    'The vendor promises handling "during our normal business hours" without numbers: response within 16/8/4/2 business hours for low/normal/high/urgent is our assumption.',
    'No resolution target is promised for standard tickets.',
    STANDARD_WINDOWS_ASSUMPTION,
  ],
};

/** 001's priority table did not survive ("[table id=2 /]"); these targets are ours, one business day = 8 h. */
const SMARTWORK_PRIORITIES: Partial<Record<'low' | 'normal' | 'high' | 'urgent', PriorityTargets>> = {
  low: {
    firstResponse: workingDays(2),
    nextReply: workingDays(3),
    periodicUpdate: workingDays(5),
    resolution: { firstLevel: workingDays(10), secondLevel: workingDays(40) },
  },
  normal: {
    firstResponse: workingDays(1),
    nextReply: workingDays(2),
    periodicUpdate: workingDays(2),
    resolution: { firstLevel: workingDays(5), secondLevel: workingDays(20) },
  },
  high: {
    firstResponse: business(4),
    nextReply: workingDays(1),
    periodicUpdate: workingDays(1),
    resolution: { firstLevel: workingDays(2), secondLevel: workingDays(10) },
  },
  urgent: {
    firstResponse: business(2),
    nextReply: business(4),
    periodicUpdate: business(4),
    resolution: { firstLevel: workingDays(1), secondLevel: workingDays(5) },
  },
};

const SMARTWORK_FIELDS: RequiredField[] = [
  { key: 'description', label: 'Issue description (steps to reproduce)', minLength: 20 },
  { key: 'softwareVersion', label: 'Software version', pattern: '\\d', patternHint: 'a version number such as 4.2.1' },
  { key: 'technicalContact', label: 'Technical contact', minLength: 3 },
];

const SMARTWORK_ASSUMPTIONS = [
  'The seed\'s priority table is missing ("[table id=2 /]"): first response 16/8/4/2 business hours, next reply 24/16/8/4, resolution 10/5/2/1 business days (first level) and 40/20/10/5 (second level, development involved) for low/normal/high/urgent are our assumptions.',
  'Periodic status updates ("the support team gives you periodic updates") every 5 / 2 / 1 business days and every 4 business hours for low/normal/high/urgent.',
  'A business day is 8 business hours; all times exclude Munich public holidays via the calendar.',
  'date-holidays has no Munich set: Munich public holidays are its DE-BY-KATH set (Bavaria with Assumption Day, 15 Aug), Munich being predominantly Catholic.',
  STANDARD_WINDOWS_ASSUMPTION,
];

const smartworkEmea: SupportPolicy = {
  id: 'smartwork-emea',
  // 001: "We handle support queries through written communication."
  channels: ['web', 'email'],
  version: 1,
  name: 'smartwork solutions support (EMEA)',
  calendarId: 'emea-berlin',
  zone: 'Europe/Berlin',
  defaultPriority: 'normal',
  priorities: SMARTWORK_PRIORITIES,
  warnings: STANDARD_WARNINGS,
  autoCloseAfter: STANDARD_AUTO_CLOSE,
  reopenWindow: STANDARD_REOPEN,
  requiredFields: SMARTWORK_FIELDS,
  legacyVersions: [],
  priorityRaisers: [],
  assumptions: SMARTWORK_ASSUMPTIONS,
};

const smartworkUsa: SupportPolicy = {
  ...smartworkEmea,
  id: 'smartwork-usa',
  channels: ['web', 'email'],
  name: 'smartwork solutions support (USA)',
  calendarId: 'usa-new-york',
  zone: 'America/New_York',
};

const EMETROTEL_FIELDS: RequiredField[] = [
  { key: 'endCustomerName', label: 'End Customer Name' },
  { key: 'systemType', label: 'System type' },
  { key: 'hostId', label: 'Host ID' },
  { key: 'softwareRelease', label: 'Software Release level', pattern: '\\d', patternHint: 'a release number such as 5.1' },
  { key: 'callScenario', label: 'Call Scenario generating the issue', minLength: 10 },
];

const EMETROTEL_RAISERS: SupportPolicy['priorityRaisers'] = [{ phrase: 'Emergency – System Down', priority: 'urgent' }];

/** The contract sells one response time per tier; priority orders the queue but does not buy a faster SLA. */
function emetrotelTier(response: Target): SupportPolicy['priorities'] {
  const targets: PriorityTargets = { firstResponse: response, nextReply: response };
  return { normal: targets, high: targets, urgent: targets };
}

const EMETROTEL_COMMON = {
  // Version 2 copies the reseller on end users' tickets; tickets pinned on 1 keep it (superseded-presets).
  version: 2,
  // 002: "provides support to End Users through and in collaboration with the End User's Reseller".
  copyReseller: true,
  zone: 'America/Chicago',
  defaultPriority: 'normal',
  warnings: STANDARD_WARNINGS,
  autoCloseAfter: STANDARD_AUTO_CLOSE,
  reopenWindow: STANDARD_REOPEN,
  requiredFields: EMETROTEL_FIELDS,
  legacyVersions: [],
  priorityRaisers: EMETROTEL_RAISERS,
  // 002: the reseller opens a trouble ticket (web) and calls for "Emergency – System Down".
  channels: ['web', 'phone'],
} as const satisfies Partial<SupportPolicy>;

/** Every E-MetroTel policy lists who its mails copy. */
const EMETROTEL_RESELLER_ASSUMPTION =
  '"E-MetroTel support to End Users is performed in conjunction with the End User\'s authorized E-MetroTel Reseller": on a ticket an end user opens (by key, by mail, or staff for them), every mail to the customer copies every contact of the reseller the customer buys through, as known at the opening; a ticket the reseller opens is already the reseller\'s and copies nobody.';

/** 002 names neither a zone nor holidays. */
const EMETROTEL_CALENDAR_ASSUMPTION =
  'Hours are America/Chicago time (the seed names no zone; the support number 214-556-5917 is a Dallas number) and no public holidays are observed (the seed names none).';

const emetrotelStandard: SupportPolicy = {
  ...EMETROTEL_COMMON,
  id: 'emetrotel-standard',
  name: 'E-MetroTel Software and Support Services — Standard',
  calendarId: 'weekday-9-5',
  priorities: emetrotelTier(workingDays(1)),
  assumptions: [
    '"24-hour response SLA" on weekday 9-to-5 support is read as one business day (8 business hours): a ticket opened during hours is due at the same time the next weekday, exactly 24 h when no weekend or holiday intervenes, and nights and weekends when nobody answers the phone do not count.',
    "Next replies share the tier's response time; no resolution time is promised.",
    '"Emergency – System Down" in the subject or description raises the ticket to urgent (queue order and the phone call) but the tier\'s response time is unchanged.',
    EMETROTEL_CALENDAR_ASSUMPTION,
    EMETROTEL_RESELLER_ASSUMPTION,
    STANDARD_WINDOWS_ASSUMPTION,
  ],
};

const emetrotelPremium: SupportPolicy = {
  ...EMETROTEL_COMMON,
  id: 'emetrotel-premium',
  name: 'E-MetroTel Software and Support Services — Premium',
  calendarId: 'weekday-7-7',
  priorities: emetrotelTier(business(4)),
  assumptions: [
    '"4-hour response SLA" with weekday 7-to-7 support: 4 business hours on the 7–19 weekday calendar.',
    "Next replies share the tier's response time; no resolution time is promised.",
    EMETROTEL_CALENDAR_ASSUMPTION,
    EMETROTEL_RESELLER_ASSUMPTION,
    STANDARD_WINDOWS_ASSUMPTION,
  ],
};

const emetrotelPremiumPlus: SupportPolicy = {
  ...EMETROTEL_COMMON,
  id: 'emetrotel-premium-plus',
  name: 'E-MetroTel Software and Support Services — Premium Plus',
  calendarId: 'always-open',
  priorities: emetrotelTier(wall(2)),
  autoCloseAfter: wall(5 * 24),
  reopenWindow: wall(14 * 24),
  assumptions: [
    '"24/7 phone support with a 2-hour response SLA": 2 wall-clock hours, nights, weekends and holidays included.',
    "Next replies share the tier's response time; no resolution time is promised.",
    'Times are shown in America/Chicago (the seed names no zone; the support number is a Dallas number).',
    EMETROTEL_RESELLER_ASSUMPTION,
    wallWindowsAssumption(5, 14),
  ],
};

const emetrotelHardwareWarranty: SupportPolicy = {
  ...EMETROTEL_COMMON,
  id: 'emetrotel-hardware-warranty',
  name: 'E-MetroTel Hardware Warranty Services',
  calendarId: 'weekday-9-5',
  priorities: emetrotelTier(workingDays(2)),
  requiredFields: EMETROTEL_FIELDS.filter((f) => f.key !== 'softwareRelease'),
  priorityRaisers: [],
  assumptions: [
    '"Hardware Warranty Services provide “best effort” response time": the seed promises no figure; two business days on the weekday 9-to-5 calendar are assumed as the target staff are warned against.',
    'A warranty request is covered by the system’s own warranty end (one year from purchase, plus extensions), not by its software support contract.',
    'The defect is described in the call scenario field; the software release is not asked, since the hardware is the subject.',
    EMETROTEL_CALENDAR_ASSUMPTION,
    EMETROTEL_RESELLER_ASSUMPTION,
    STANDARD_WINDOWS_ASSUMPTION,
  ],
};

const MAILUP_TARGETS: PriorityTargets = {
  firstResponse: business(4),
  nextReply: business(4),
  resolution: { firstLevel: workingDays(1), secondLevel: workingDays(4) },
};

/** A phone number as customers write it: digits with spaces, dots, dashes, slashes or brackets, optionally +international. */
export const PHONE_NUMBER_PATTERN = '^\\+?[0-9][0-9 ()./-]{4,38}$';

/**
 * "You will have to leave a message with our support team, indicating the date/time/contact phone to call
 * you back": a phone ticket cannot be called back without the number.
 */
const MAILUP_CALLBACK_FIELDS: RequiredField[] = [
  {
    key: 'callbackPhone',
    label: 'Phone number to call back',
    pattern: PHONE_NUMBER_PATTERN,
    patternHint: 'a phone number such as +39 02 1234 5678',
    channels: ['phone'],
  },
];

const MAILUP_ASSUMPTIONS = [
  'A working day is 8 working hours on the 9–13 / 14–18 weekday calendar, so 1 working day = 8 and 4 working days = 32 working hours.',
  '"Dealt with within 4 working hours" applies to every customer message, not just the first one.',
  'Hours are Europe/Rome time and exclude the Italian national public holidays (date-holidays IT): the seed says "excluding public holidays" but names no zone or country; MailUp is an Italian company.',
  'Requests "sent via the \'Help\' tab, available on the console or in the Agency Panel" arrive on the web channel for Standard too: Premium only gets them handled faster.',
  STANDARD_WINDOWS_ASSUMPTION,
];

/** The paid services 003 names for what support does not cover. */
const MAILUP_ALTERNATIVES = ['Pre-Paid Hours', 'Full Service', 'Delivery+ Package'];

/** 003 Standard: "It does not include advice on: message composition, HTML code, deliverability, writing and quality of communications." */
const MAILUP_EXCLUDED_TOPICS = [
  { id: 'message_composition', label: 'message composition' },
  { id: 'html_code', label: 'HTML code' },
  { id: 'deliverability', label: 'deliverability' },
  { id: 'writing', label: 'writing' },
  { id: 'quality_of_communications', label: 'quality of communications' },
];

const MAILUP_SCOPE_ASSUMPTION =
  'The options offered for what support does not cover ("Pre-Paid Hours, Full Service and Delivery+ Package") are named in the Premium section; they are MailUp\'s paid services, so a Standard ticket out of scope is offered them too.';

const mailupStandard: SupportPolicy = {
  id: 'mailup-standard',
  // 003: email, and requests "sent via the 'Help' tab, available on the console"; the phone line "is reserved
  // for Premium Support subscribers only".
  channels: ['email', 'web'],
  // Version 2 added the web channel, 3 the scope exclusions; tickets pinned on 1 or 2 keep theirs (superseded-presets).
  version: 3,
  name: 'MailUp Standard Email support',
  calendarId: 'split-day-italy',
  zone: 'Europe/Rome',
  defaultPriority: 'normal',
  priorities: { normal: MAILUP_TARGETS },
  warnings: STANDARD_WARNINGS,
  autoCloseAfter: STANDARD_AUTO_CLOSE,
  reopenWindow: STANDARD_REOPEN,
  requiredFields: [],
  legacyVersions: [],
  priorityRaisers: [],
  scopeExclusions: { topics: MAILUP_EXCLUDED_TOPICS, alternatives: MAILUP_ALTERNATIVES },
  assumptions: [...MAILUP_ASSUMPTIONS, MAILUP_SCOPE_ASSUMPTION],
};

const mailupPremium: SupportPolicy = {
  ...mailupStandard,
  id: 'mailup-premium',
  name: 'MailUp Premium Support',
  channels: ['email', 'web', 'phone'],
  defaultPriority: 'high',
  priorities: { high: MAILUP_TARGETS },
  phoneCallback: business(4),
  warnings: { fractions: [0.5, 0.75], basis: 'business' },
  requiredFields: MAILUP_CALLBACK_FIELDS,
  // 003 Premium: "the service does not include advice regarding the composition and writing of messages, HTML
  // code, strategy, the quality of communications or deliverability": Standard's list, and strategy.
  scopeExclusions: {
    topics: [...MAILUP_EXCLUDED_TOPICS, { id: 'strategy', label: 'strategy' }],
    alternatives: MAILUP_ALTERNATIVES,
  },
  assumptions: [
    ...MAILUP_ASSUMPTIONS,
    '"Higher priority in the handling of requests": premium tickets are high priority (queue order); the written SLA is the same as standard.',
    '"Someone will call you back within 2-4 hours": the callback clock is due 4 working hours after the phone message (a ticket opened on the phone channel, or a phone message on an open ticket), with warnings at 2 (50 %, the early end of the range) and 3 working hours (75 %), as on the other clocks.',
    'A phone ticket must give the number to call back (fields.callbackPhone). "Indicating the date/time … to call you back": a time asked for (callbackAt on a phone message, fields.callbackAt on a phone ticket) makes the call due at the later of that time and 4 working hours after the message. The 2-4 hours are not counted again from that time: the customer named when to call, so the call is due then. A time outside the 9–13 / 14–18 hours moves to the next opening (nobody calls while the line is closed); a time already past asks for nothing beyond the 4 working hours. Warnings fall 2 and 1 working hours before the call is due; a call already owed keeps its time.',
    'A call back is a reply by phone: it also answers a first response or next reply still owed.',
  ],
};

/**
 * 004: "If a total system outage or other major issue occurs, your support request is put ahead of the
 * schedule". Version 2 also hears the "other major issue" a phone system's users report in their words:
 * phones down, no dial tone, calls that cannot be made or received.
 */
export const PER_USER_OUTAGE_PHRASES = ['total system outage', 'system outage', 'system down'];
const PER_USER_RAISERS: SupportPolicy['priorityRaisers'] = [
  ...PER_USER_OUTAGE_PHRASES,
  'major issue',
  'phones down',
  'phones are down',
  'no dial tone',
  'cannot make or receive calls',
  "can't make or receive calls",
  'cannot make calls',
  'cannot receive calls',
].map((phrase) => ({ phrase, priority: 'urgent' as const }));

/** 004 names no holidays; its business hours are an assumption of perUserSupport's. */
const PER_USER_CALENDAR_ASSUMPTIONS = ['No public holidays are observed: the seed names none.', STANDARD_WINDOWS_ASSUMPTION];

const perUserSupport: SupportPolicy = {
  id: 'per-user-support',
  version: 2,
  name: 'Support Subscription (per user)',
  channels: ['phone', 'email'],
  calendarId: 'weekday-9-5',
  zone: 'America/Chicago',
  defaultPriority: 'normal',
  priorities: {
    normal: { firstResponse: workingDays(1), nextReply: workingDays(1) },
    urgent: { firstResponse: business(2), nextReply: business(4) },
  },
  warnings: STANDARD_WARNINGS,
  autoCloseAfter: STANDARD_AUTO_CLOSE,
  reopenWindow: STANDARD_REOPEN,
  requiredFields: [],
  legacyVersions: [],
  priorityRaisers: PER_USER_RAISERS,
  assumptions: [
    '"Call us anytime during our normal business hours": the seed names no hours or zone; weekdays 9–17 America/Chicago (the plan catalog’s calendar) are assumed.',
    'The seed promises no response time: one business day (8 business hours) for a normal request, matching the plan’s response target.',
    '"Put ahead of the schedule for our top priority": an outage or "other major issue" makes the ticket urgent, which sorts first and is due in 2 business hours. Version 2 hears it in the words of the subject or description: "total system outage", "system outage", "system down", "major issue", "phones down", "phones are down", "no dial tone", "cannot make or receive calls" (or "can\'t"), "cannot make calls", "cannot receive calls". Version 1 heard the first three only.',
    '"Phone support may be limited to 5 incidents per year": a ticket opened on the phone channel counts one incident against the subscription year’s cap; email tickets do not count.',
    ...PER_USER_CALENDAR_ASSUMPTIONS,
  ],
};

const perUserHourly: SupportPolicy = {
  ...perUserSupport,
  id: 'per-user-hourly',
  // Its own versions: it raises nothing, so per-user-support's new phrases change nothing here.
  version: 1,
  name: 'Hourly support (no Support Subscription)',
  priorities: { normal: { firstResponse: workingDays(1), nextReply: workingDays(1) } },
  priorityRaisers: [],
  assumptions: [
    '"All individuals or organizations without an active Support Subscription must pay hourly": their tickets open on this policy and are billed by the hour at then-current rates (the rate is the vendor’s, outside this policy).',
    'Hourly requests get the same business hours as subscribers but no priority for outages: "ahead of the schedule" is a subscriber’s benefit.',
    'One business day (8 business hours) to the first response, as for subscribers.',
    ...PER_USER_CALENDAR_ASSUMPTIONS,
  ],
};

export const policyPresets: Readonly<Record<string, SupportPolicy>> = Object.fromEntries(
  [
    smartertoolsEmergency,
    smartertoolsStandard,
    smartworkEmea,
    smartworkUsa,
    emetrotelStandard,
    emetrotelPremium,
    emetrotelPremiumPlus,
    emetrotelHardwareWarranty,
    mailupStandard,
    mailupPremium,
    perUserSupport,
    perUserHourly,
  ].map((p) => [p.id, p]),
);

export function getPolicyPreset(id: string): SupportPolicy {
  const policy = policyPresets[id];
  if (!policy) throw new Error(`unknown support policy "${id}" (known: ${Object.keys(policyPresets).join(', ')})`);
  return policy;
}
