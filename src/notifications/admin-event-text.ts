/**
 * What an administrator contact reads (004: "Receive email notifications of system administration issues or
 * events to proactively respond to situations before users ever notice"). Wording a vendor would change is
 * kept here as data; `{name}` is replaced by the event's value, and a line left empty by it is dropped.
 */
export const adminEventText = {
  subject: '[{customerName}] {severity}: {title}',
  lines: [
    'A system administration {kind} was reported for {system} on {occurredAt}:',
    '',
    '  {title}',
    '{detail}',
    '',
    'You receive this as an administrator contact of {customerName}, so that you can act before your users notice.',
    'Reference: {eventId}',
  ],
  severity: { info: 'Notice', warning: 'Warning', critical: 'Critical' },
  /** "issues or events": a notice reports an event, a warning or a critical one an issue. */
  kind: { info: 'event', warning: 'issue', critical: 'issue' },
  anySystem: 'your system',
} as const;

export type Severity = keyof typeof adminEventText.severity;
export const SEVERITIES = Object.keys(adminEventText.severity) as [Severity, ...Severity[]];

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

export function adminEventMail(values: Record<string, string>): { subject: string; text: string } {
  const text = adminEventText.lines
    .filter((line) => !/^\{\w+\}$/.test(line) || (values[line.slice(1, -1)] ?? '') !== '')
    .map((line) => fill(line, values))
    .join('\n');
  return { subject: fill(adminEventText.subject, values), text: `${text}\n` };
}
