import { clockLabel, formatInstant, type ClockKind } from '../../src/domain/ticket/core';
import type { EmailMessage } from '../../activities/mail-activities';
import type { OpenTicketInput } from './contract';
import type { TicketMachine } from './ticket-machine';

/** Customer and staff emails; every deadline is written in the recipient's zone, with the zone named. */
export class TicketMail {
  constructor(
    private readonly input: OpenTicketInput,
    private readonly m: TicketMachine,
  ) {}

  private get zone(): string {
    return this.input.requesterZone ?? this.m.s.terms.policy.zone;
  }

  private subject(text: string): string {
    return `[${this.input.ticketId}] ${text}`;
  }

  private dueLines(zone: string): string {
    const lines = Object.entries(this.m.deadlines()).map(([k, at]) => `  ${clockLabel(k as ClockKind)}: ${formatInstant(at, zone)}`);
    return lines.length ? `Current commitments:\n${lines.join('\n')}` : '';
  }

  toCustomer(key: string, subject: string, body: string): EmailMessage {
    return {
      dedupeKey: `ticket:${this.input.ticketId}:${key}`,
      to: this.input.requesterEmail,
      subject: this.subject(subject),
      text: `${body}\n\n${this.dueLines(this.zone)}\n`,
    };
  }

  toStaff(key: string, to: string, subject: string, body: string): EmailMessage {
    const zone = this.m.s.terms.policy.zone;
    return {
      dedupeKey: `ticket:${this.input.ticketId}:${key}`,
      to,
      subject: this.subject(subject),
      text: `${body}\n\nCustomer: ${this.input.customerId}\nSubject: ${this.input.subject}\nPolicy: ${this.m.s.terms.policy.id}@${this.m.s.terms.policy.version}, priority ${this.m.s.state.priority}\n${this.dueLines(zone)}\n`,
    };
  }

  acknowledgment(): EmailMessage {
    return this.toCustomer('ack', `We received your request: ${this.input.subject}`, `Your ticket ${this.input.ticketId} is open.`);
  }

  warning(clock: ClockKind, fraction: number, dueAt: number, to: string, key: string): EmailMessage {
    const zone = this.m.s.terms.policy.zone;
    return this.toStaff(key, to, `SLA warning: ${clockLabel(clock)} ${Math.round(fraction * 100)}% used`, `The ${clockLabel(clock)} deadline is ${formatInstant(dueAt, zone)}.`);
  }

  breach(clock: ClockKind, dueAt: number, to: string, key: string): EmailMessage {
    const zone = this.m.s.terms.policy.zone;
    return this.toStaff(key, to, `SLA breach: ${clockLabel(clock)} missed`, `The ${clockLabel(clock)} deadline ${formatInstant(dueAt, zone)} has passed.`);
  }
}
