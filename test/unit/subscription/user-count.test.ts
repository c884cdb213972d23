import { describe, expect, it } from 'vitest';
import { countUsers, type Device } from '../../../src/domain/subscription/index.js';

/** One row per rule of 004's "A user is counted as" / "What doesn't count as a user" lists. */
const cases: Array<{ rule: string; devices: Device[]; users: number; notCounted?: Array<[string, string]> }> = [
  // "A desk phone or cordless phone or conference speakerphone."
  { rule: 'a desk phone is a user', devices: [{ id: 'd1', kind: 'desk-phone' }], users: 1 },
  { rule: 'a cordless phone is a user', devices: [{ id: 'c1', kind: 'cordless-phone' }], users: 1 },
  { rule: 'a conference speakerphone is a user', devices: [{ id: 'k1', kind: 'conference-phone' }], users: 1 },
  // "An extension number that can make or receive calls or intercoms."
  { rule: 'an extension that can call is a user', devices: [{ id: 'x101', kind: 'extension', canCall: true }], users: 1 },
  { rule: 'an extension is taken to call unless it says otherwise', devices: [{ id: 'x102', kind: 'extension' }], users: 1 },
  {
    rule: 'an extension that can neither make nor receive calls is not',
    devices: [{ id: 'x900', kind: 'extension', canCall: false }],
    users: 0,
    notCounted: [['x900', 'extension-cannot-call']],
  },
  // "A person using the custom App on their smartphone or PC/Mac."
  { rule: 'an app user is a user', devices: [{ id: 'app-ann', kind: 'app-user', user: 'Ann' }], users: 1 },
  // "What doesn't count as a user: - A voicemail box."
  { rule: 'a voicemail box is not', devices: [{ id: 'vm1', kind: 'voicemail-box' }], users: 0, notCounted: [['vm1', 'voicemail-box']] },
  // "- A greeting menu or “phone tree”."
  { rule: 'a phone tree is not', devices: [{ id: 'ivr', kind: 'phone-tree' }], users: 0, notCounted: [['ivr', 'phone-tree']] },
  // "if you have one person using both a desk phone and ... the custom App ... that will only count as one"
  {
    rule: 'one person with a desk phone and the app counts once',
    devices: [
      { id: 'd-ann', kind: 'desk-phone', user: 'Ann' },
      { id: 'app-ann', kind: 'app-user', user: 'ann ' },
    ],
    users: 1,
    notCounted: [['app-ann', 'same-person']],
  },
  {
    rule: 'two people each with a phone are two users',
    devices: [
      { id: 'd-ann', kind: 'desk-phone', user: 'Ann' },
      { id: 'd-bob', kind: 'desk-phone', user: 'Bob' },
    ],
    users: 2,
  },
  {
    rule: 'unassigned phones are a user each',
    devices: [
      { id: 'lobby', kind: 'cordless-phone' },
      { id: 'room-1', kind: 'conference-phone' },
    ],
    users: 2,
  },
  { rule: 'no devices, no users', devices: [], users: 0 },
];

describe('countUsers (004: "A user is counted as")', () => {
  it.each(cases)('$rule', ({ devices, users, notCounted = [] }) => {
    const count = countUsers(devices);
    expect(count.users).toBe(users);
    expect(count.counted).toHaveLength(users);
    expect(count.notCounted.map((n) => [n.deviceId, n.reason])).toEqual(notCounted);
  });

  it('counts a mixed office: 3 people (one with phone, extension and app), a lobby phone, a voicemail box and the menu', () => {
    const office: Device[] = [
      { id: 'd-ann', kind: 'desk-phone', user: 'Ann' },
      { id: 'x101', kind: 'extension', user: 'Ann' },
      { id: 'app-ann', kind: 'app-user', user: 'Ann' },
      { id: 'd-bob', kind: 'desk-phone', user: 'Bob' },
      { id: 'app-cy', kind: 'app-user', user: 'Cy' },
      { id: 'lobby', kind: 'cordless-phone' },
      { id: 'vm-main', kind: 'voicemail-box' },
      { id: 'menu', kind: 'phone-tree' },
    ];
    const count = countUsers(office);
    expect(count.users).toBe(4);
    expect(count.counted).toEqual([
      { user: 'Ann', deviceIds: ['d-ann', 'x101', 'app-ann'] },
      { user: 'Bob', deviceIds: ['d-bob'] },
      { user: 'Cy', deviceIds: ['app-cy'] },
      { user: null, deviceIds: ['lobby'] },
    ]);
    expect(count.notCounted.map((n) => n.reason)).toEqual(['same-person', 'same-person', 'voicemail-box', 'phone-tree']);
  });
});
