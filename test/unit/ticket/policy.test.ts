import { describe, expect, it } from 'vitest';
import { getCalendarPreset } from '../../../src/domain/calendar/index';
import { checkLegacyVersion, majorVersion, offeredPriority, supportedPriorities } from '../../../src/domain/ticket/policy';
import { supportPolicySchema } from '../../../src/domain/ticket/policy-schema';
import { getPolicyPreset, policyPresets } from '../../../src/domain/ticket/policy-presets';
import { effectivePriority, validateTicketFields } from '../../../src/domain/ticket/required-fields';
import { presetAtVersion } from '../../../src/domain/ticket/superseded-presets';
import { H } from './helpers';

describe('policy presets', () => {
  it('cover every seed offering', () => {
    expect(Object.keys(policyPresets).sort()).toEqual([
      'emetrotel-hardware-warranty',
      'emetrotel-premium',
      'emetrotel-premium-plus',
      'emetrotel-standard',
      'mailup-premium',
      'mailup-standard',
      'per-user-hourly',
      'per-user-support',
      'smartertools-emergency',
      'smartertools-standard',
      'smartwork-emea',
      'smartwork-usa',
    ]);
  });

  it.each(Object.values(policyPresets))('$id is valid policy data on an existing calendar, and JSON-safe', (policy) => {
    expect(supportPolicySchema.safeParse(policy).success).toBe(true);
    expect(getCalendarPreset(policy.calendarId)).toBeDefined();
    expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
    expect(new Intl.DateTimeFormat('en', { timeZone: policy.zone }).resolvedOptions().timeZone).toBe(policy.zone);
  });

  it('the numbers the vendors state are used verbatim', () => {
    const emergency = getPolicyPreset('smartertools-emergency');
    expect(emergency.priorities.urgent?.firstResponse).toEqual({ ms: H, clock: 'wall' });
    expect(emergency.emergency?.refund).toEqual({ amountMinor: 34_900, currency: 'USD' });
    expect(emergency.legacyVersions).toEqual([
      { product: 'SmarterMail', maxMajor: 16 },
      { product: 'SmarterTrack', maxMajor: 14 },
      { product: 'SmarterStats', maxMajor: 11 },
    ]);
    expect(getPolicyPreset('emetrotel-premium').priorities.normal?.firstResponse).toEqual({ ms: 4 * H, clock: 'business' });
    expect(getPolicyPreset('emetrotel-premium-plus').priorities.urgent?.firstResponse).toEqual({ ms: 2 * H, clock: 'wall' });
    const mailup = getPolicyPreset('mailup-standard').priorities.normal;
    expect(mailup?.firstResponse).toEqual({ ms: 4 * H, clock: 'business' });
    expect(mailup?.resolution).toEqual({ firstLevel: { ms: 8 * H, clock: 'business' }, secondLevel: { ms: 32 * H, clock: 'business' } });
  });

  it('every policy that fills a gap in its seed says so', () => {
    for (const policy of Object.values(policyPresets)) expect(policy.assumptions.length).toBeGreaterThan(0);
    expect(getPolicyPreset('smartwork-emea').assumptions.join(' ')).toContain('[table id=2 /]');
  });

  it('periodic updates: every 2 business days at normal, daily at high (001)', () => {
    const emea = getPolicyPreset('smartwork-emea');
    expect(emea.priorities.normal?.periodicUpdate).toEqual({ ms: 16 * H, clock: 'business' });
    expect(emea.priorities.high?.periodicUpdate).toEqual({ ms: 8 * H, clock: 'business' });
  });

  it('every figure the seeds leave open is stated: the auto-close and reopen windows, zones and holidays', () => {
    const said = (id: string) => getPolicyPreset(id).assumptions.join(' ');
    for (const policy of Object.values(policyPresets)) expect(said(policy.id)).toMatch(/auto-close or reopen window/);
    expect(said('smartertools-standard')).toMatch(/5 business days .* 10 business days/);
    expect(said('smartertools-emergency')).toMatch(/7 days .* 14 days/);
    expect(said('emetrotel-premium-plus')).toMatch(/5 days .* 14 days/);
    expect(said('smartertools-standard')).toContain('US federal public holidays');
    expect(said('smartwork-emea')).toContain('DE-BY-KATH');
    expect(said('mailup-standard')).toMatch(/Europe\/Rome .* Italian national public holidays/);
    expect(said('emetrotel-standard')).toMatch(/America\/Chicago .* no public holidays/);
    expect(said('per-user-support')).toContain('No public holidays');
    expect(said('per-user-hourly')).toContain('No public holidays');
  });

  it('a ticket pinned on a superseded preset version still finds the rules it opened on', () => {
    expect(presetAtVersion('mailup-standard', 1)?.channels).toEqual(['email']);
    expect(presetAtVersion('mailup-standard', 2)?.channels).toEqual(['email', 'web']);
    expect(presetAtVersion('smartertools-standard', 1)?.channels).toEqual(['web', 'email']);
    expect(presetAtVersion('smartertools-standard', 2)?.channels).toEqual(['web', 'email', 'phone']);
    expect(presetAtVersion('mailup-premium', 1)).toMatchObject({ version: 1, channels: ['email', 'phone'] });
    expect(presetAtVersion('smartwork-emea', 1)).toBe(getPolicyPreset('smartwork-emea'));
    expect(presetAtVersion('smartwork-emea', 2)).toBeUndefined();
    // 003's exclusions came with version 3, 002's reseller copy with version 2: the earlier ones decide without them.
    expect(presetAtVersion('mailup-premium', 3)?.scopeExclusions?.alternatives).toEqual([
      'Pre-Paid Hours',
      'Full Service',
      'Delivery+ Package',
    ]);
    expect(presetAtVersion('mailup-standard', 2)).toMatchObject({ version: 2, channels: ['email', 'web'] });
    expect(presetAtVersion('mailup-standard', 2)?.scopeExclusions).toBeUndefined();
    expect(presetAtVersion('mailup-premium', 1)?.scopeExclusions).toBeUndefined();
    for (const id of ['emetrotel-standard', 'emetrotel-premium', 'emetrotel-premium-plus', 'emetrotel-hardware-warranty']) {
      expect(presetAtVersion(id, 2)?.copyReseller).toBe(true);
      expect(presetAtVersion(id, 1)).toMatchObject({ id, version: 1 });
      expect(presetAtVersion(id, 1)?.copyReseller).toBeUndefined();
    }
  });

  it('the schema rejects a default priority the policy does not offer', () => {
    const broken = { ...getPolicyPreset('mailup-standard'), defaultPriority: 'urgent' };
    const result = supportPolicySchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['defaultPriority']);
  });

  it('getPolicyPreset names the known ids when asked for an unknown one', () => {
    expect(() => getPolicyPreset('nope')).toThrow(/unknown support policy "nope" \(known: smartertools-emergency/);
  });
});

describe('priorities', () => {
  it('offered priorities and the closest offered one', () => {
    const premium = getPolicyPreset('mailup-premium');
    expect(supportedPriorities(premium)).toEqual(['high']);
    expect(offeredPriority(premium, 'normal')).toBe('high');
    expect(offeredPriority(premium, 'urgent')).toBe('high');
    const emetrotel = getPolicyPreset('emetrotel-standard');
    expect(offeredPriority(emetrotel, 'low')).toBe('normal');
    expect(offeredPriority(emetrotel, 'high')).toBe('high');
  });

  it.each([
    'Emergency – System Down',
    'Emergency - System Down',
    'EMERGENCY—SYSTEM DOWN: nobody can dial out',
    'Re: emergency -system  down',
    'Customer writes: emergency‑system down since 9am',
    'emergency system down',
  ])('002: "%s" raises the ticket to urgent', (text) => {
    expect(effectivePriority(getPolicyPreset('emetrotel-standard'), 'normal', text)).toBe('urgent');
  });

  it.each(['System down?', 'Emergency contact changed', 'emergency: system is down'])('002: "%s" does not', (text) => {
    expect(effectivePriority(getPolicyPreset('emetrotel-standard'), 'normal', text)).toBe('normal');
  });

  it.each([
    'Total system outage at the main office',
    'All phones down since 8am',
    'Our phones are down',
    'No dial tone on any extension',
    "We can't make or receive calls",
    'Major issue: the auto attendant loops',
  ])('004 (version 2): "%s" puts the request ahead of the schedule', (text) => {
    expect(effectivePriority(getPolicyPreset('per-user-support'), undefined, text)).toBe('urgent');
  });

  it('004: an ordinary request stays normal; version 1 stays findable with the phrases it had', () => {
    expect(effectivePriority(getPolicyPreset('per-user-support'), undefined, 'Add a voicemail box for Sam')).toBe('normal');
    const v1 = presetAtVersion('per-user-support', 1)!;
    expect(effectivePriority(v1, undefined, 'All phones down since 8am')).toBe('normal');
    expect(effectivePriority(v1, undefined, 'Total system outage')).toBe('urgent');
    expect(presetAtVersion('per-user-hourly', 1)?.priorityRaisers).toEqual([]);
  });

  it('the phrase never lowers, and other policies ignore it', () => {
    expect(effectivePriority(getPolicyPreset('emetrotel-premium'), 'high', 'Emergency – System Down')).toBe('urgent');
    expect(effectivePriority(getPolicyPreset('smartwork-emea'), 'normal', 'Emergency – System Down')).toBe('normal');
    expect(effectivePriority(getPolicyPreset('smartwork-emea'), undefined, '')).toBe('normal');
    expect(effectivePriority(getPolicyPreset('mailup-premium'), undefined, 'help')).toBe('high');
  });
});

describe('required fields', () => {
  const emetrotel = getPolicyPreset('emetrotel-standard');
  const complete = {
    endCustomerName: 'Acme Dental',
    systemType: 'UCX450',
    hostId: 'H-00421',
    softwareRelease: '6.0.32',
    callScenario: 'Inbound calls to the main DID ring busy',
  };

  it('002: a complete reseller ticket passes', () => {
    expect(validateTicketFields(emetrotel, complete)).toEqual([]);
  });

  it('002: every missing field is reported with its label, at its own path', () => {
    expect(validateTicketFields(emetrotel, { hostId: '  ' })).toEqual([
      {
        path: ['fields', 'endCustomerName'],
        message: 'End Customer Name is required by E-MetroTel Software and Support Services — Standard',
      },
      { path: ['fields', 'systemType'], message: 'System type is required by E-MetroTel Software and Support Services — Standard' },
      { path: ['fields', 'hostId'], message: 'Host ID is required by E-MetroTel Software and Support Services — Standard' },
      {
        path: ['fields', 'softwareRelease'],
        message: 'Software Release level is required by E-MetroTel Software and Support Services — Standard',
      },
      {
        path: ['fields', 'callScenario'],
        message: 'Call Scenario generating the issue is required by E-MetroTel Software and Support Services — Standard',
      },
    ]);
  });

  it('002: a release without a number and a too-short call scenario are explained', () => {
    expect(validateTicketFields(emetrotel, { ...complete, softwareRelease: 'latest', callScenario: 'broken' })).toEqual([
      { path: ['fields', 'softwareRelease'], message: 'Software Release level must be a release number such as 5.1' },
      { path: ['fields', 'callScenario'], message: 'Call Scenario generating the issue must be at least 10 characters' },
    ]);
  });

  it('001: description, software version and technical contact', () => {
    const emea = getPolicyPreset('smartwork-emea');
    expect(
      validateTicketFields(emea, {
        description: 'Export to CSV fails with error 500 after upgrading',
        softwareVersion: '4.2.1',
        technicalContact: 'Jana Weber, jana@example.de',
      }),
    ).toEqual([]);
    expect(validateTicketFields(emea, { description: 'broken', softwareVersion: 4.2 }).map((e) => e.message)).toEqual([
      'Issue description (steps to reproduce) must be at least 20 characters',
      'Software version must be text',
      'Technical contact is required by smartwork solutions support (EMEA)',
    ]);
  });

  it('000: product must be one of the SmarterTools products (any case)', () => {
    const st = getPolicyPreset('smartertools-emergency');
    expect(validateTicketFields(st, { product: 'smartermail', productVersion: '100.0.9000' })).toEqual([]);
    expect(validateTicketFields(st, { product: 'Exchange', productVersion: '2019' })).toEqual([
      { path: ['fields', 'product'], message: 'Product must be one of SmarterMail, SmarterTrack, SmarterStats' },
    ]);
  });

  it('000: the installed version is a build number, so the legacy rule can read its major', () => {
    const st = getPolicyPreset('smartertools-standard');
    for (const v of ['100.0.9000', '16.3.6830', 'v17', ' 16 ']) {
      expect(validateTicketFields(st, { product: 'SmarterMail', productVersion: v })).toEqual([]);
    }
    for (const v of ['SmarterMail 16.3', 'Build 9000', 'latest 100.0']) {
      expect(validateTicketFields(st, { product: 'SmarterMail', productVersion: v })).toEqual([
        { path: ['fields', 'productVersion'], message: 'Installed version must be a build number such as 100.0.9000 or 16.3.6830' },
      ]);
    }
    // A ticket pinned on version 1 keeps the rule it opened on.
    const v1 = presetAtVersion('smartertools-emergency', 1);
    expect(v1 && validateTicketFields(v1, { product: 'SmarterMail', productVersion: 'SmarterMail 16.3' })).toEqual([]);
  });

  it('003 asks for nothing beyond the ticket itself', () => {
    expect(validateTicketFields(getPolicyPreset('mailup-standard'), {})).toEqual([]);
  });
});

describe('000 legacy versions', () => {
  const st = getPolicyPreset('smartertools-standard');

  it('reads the major version', () => {
    expect(majorVersion('16.3.6830')).toBe(16);
    expect(majorVersion('v15')).toBe(15);
    expect(majorVersion('100.0.9000')).toBe(100);
    expect(majorVersion('build 42')).toBeUndefined();
  });

  it('16.x and earlier SmarterMail are legacy; 17 and the 100.0.xxxx builds are current', () => {
    expect(checkLegacyVersion(st, { product: 'SmarterMail', version: '16.9' })).toEqual({
      legacy: true,
      rule: { product: 'SmarterMail', maxMajor: 16 },
    });
    expect(checkLegacyVersion(st, { product: 'SmarterMail', version: '17.0' })).toEqual({ legacy: false });
    expect(checkLegacyVersion(st, { product: 'SmarterMail', version: '100.0.9000' })).toEqual({ legacy: false });
    expect(checkLegacyVersion(st, { product: 'SmarterTrack', version: '14' }).legacy).toBe(true);
    expect(checkLegacyVersion(st, { product: 'SmarterStats', version: '12.1' }).legacy).toBe(false);
    expect(checkLegacyVersion(st, { product: 'SmarterStats', version: '?' }).legacy).toBe('unknown');
    expect(checkLegacyVersion(st, undefined)).toEqual({ legacy: false });
    expect(checkLegacyVersion(getPolicyPreset('smartwork-emea'), { product: 'SmarterMail', version: '1' })).toEqual({ legacy: false });
  });
});
