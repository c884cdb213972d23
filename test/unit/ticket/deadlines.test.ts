import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { clockLabel, describeDue, formatInstant, previewDeadlines } from '../../../src/domain/ticket/index';
import { getPolicyPreset } from '../../../src/domain/ticket/policy-presets';
import { at } from './helpers';

describe('previewDeadlines', () => {
  it('001 EMEA, normal, opened Monday 23 Nov 2026 10:00 Berlin: every promise with ISO and Berlin text', () => {
    const opened = at('2026-11-23T10:00', 'Europe/Berlin');
    const schedule = previewDeadlines(getPolicyPreset('smartwork-emea'), 'normal', opened);
    expect(schedule).toEqual({
      policy: 'smartwork-emea@1',
      priority: 'normal',
      openedAt: opened,
      openedIso: '2026-11-23T09:00:00.000Z',
      zone: 'Europe/Berlin',
      items: [
        expect.objectContaining({
          kind: 'first_response',
          dueIso: '2026-11-23T17:00:00.000Z',
          text: 'first response due Mon 23 Nov 2026 18:00 Europe/Berlin',
        }),
        expect.objectContaining({
          kind: 'resolution_first_level',
          dueIso: '2026-11-27T17:00:00.000Z',
          text: 'resolution (first level) due Fri 27 Nov 2026 18:00 Europe/Berlin',
        }),
        expect.objectContaining({
          kind: 'resolution_second_level',
          dueIso: '2026-12-18T17:00:00.000Z',
          text: 'resolution (second level) due Fri 18 Dec 2026 18:00 Europe/Berlin',
        }),
        expect.objectContaining({
          kind: 'periodic_update',
          dueIso: '2026-11-24T17:00:00.000Z',
          text: 'first periodic update due Tue 24 Nov 2026 18:00 Europe/Berlin',
        }),
      ],
    });
  });

  it('the brief example: a high ticket opened Friday 15:30 Berlin is due Monday 11:30', () => {
    const schedule = previewDeadlines(getPolicyPreset('smartwork-emea'), 'high', at('2026-11-20T15:30', 'Europe/Berlin'));
    expect(schedule.items[0]?.text).toBe('first response due Mon 23 Nov 2026 11:30 Europe/Berlin');
  });

  it('000 emergency: only the one-hour response is promised, shown in Phoenix time', () => {
    const schedule = previewDeadlines(getPolicyPreset('smartertools-emergency'), 'urgent', at('2026-12-25T03:00', 'America/Phoenix'));
    expect(schedule.items.map((i) => i.text)).toEqual(['first response due Fri 25 Dec 2026 04:00 America/Phoenix']);
    expect(schedule.items[0]?.dueIso).toBe('2026-12-25T11:00:00.000Z');
  });

  it('003 premium: the phone callback shows on request; a different zone can be asked for', () => {
    const opened = at('2026-11-20T12:30', 'Europe/Rome');
    const schedule = previewDeadlines(getPolicyPreset('mailup-premium'), 'high', opened, {
      includePhoneCallback: true,
      zone: 'America/New_York',
    });
    expect(schedule.items.map((i) => i.text)).toEqual([
      'first response due Fri 20 Nov 2026 11:30 America/New_York',
      'resolution (first level) due Mon 23 Nov 2026 06:30 America/New_York',
      'resolution (second level) due Thu 26 Nov 2026 06:30 America/New_York',
      'phone callback due Fri 20 Nov 2026 11:30 America/New_York',
    ]);
    expect(previewDeadlines(getPolicyPreset('mailup-premium'), 'high', opened).items.map((i) => i.kind)).not.toContain('phone_callback');
  });

  it('refuses a priority the policy does not offer', () => {
    expect(() => previewDeadlines(getPolicyPreset('mailup-standard'), 'urgent', 0)).toThrow(
      'policy mailup-standard@3 has no "urgent" priority (it offers normal)',
    );
  });
});

describe('text helpers', () => {
  it('formats in the named zone whatever the host zone, across DST', () => {
    expect(formatInstant(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe('Sun 29 Mar 2026 01:30 Europe/Berlin');
    expect(formatInstant(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe('Sun 29 Mar 2026 03:30 Europe/Berlin');
    expect(describeDue(clockLabel('next_reply'), Date.parse('2026-07-01T12:00:00Z'), 'UTC')).toBe(
      'next reply due Wed 1 Jul 2026 12:00 UTC',
    );
    expect(clockLabel('periodic_update')).toBe('periodic update');
  });

  it('agrees with luxon on any instant in any of a spread of zones, midnight and September included', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/Phoenix', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), fc.constantFrom(...zones), (at, zone) => {
        const luxon = DateTime.fromMillis(at, { zone }).setLocale('en-US');
        const month = luxon.toFormat('LLL').slice(0, 3);
        expect(formatInstant(at, zone)).toBe(`${luxon.toFormat('ccc d')} ${month} ${luxon.toFormat('yyyy HH:mm')} ${zone}`);
      }),
      { numRuns: 2_000 },
    );
    expect(formatInstant(Date.parse('2026-09-07T22:00:00Z'), 'UTC')).toBe('Mon 7 Sep 2026 22:00 UTC');
    expect(formatInstant(Date.parse('2026-09-07T23:59:00Z'), 'Europe/Berlin')).toBe('Tue 8 Sep 2026 01:59 Europe/Berlin');
    expect(formatInstant(Date.parse('2026-09-07T22:00:00Z'), 'Europe/Berlin')).toBe('Tue 8 Sep 2026 00:00 Europe/Berlin');
  });

  it('rejects an unknown zone instead of printing a wrong time', () => {
    expect(() => formatInstant(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});
