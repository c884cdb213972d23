/**
 * 004: "Your Support Subscription quote is based on the total number of users on your system", so a
 * per-user subscription's seats are counted from what is installed rather than typed in. The rules are
 * the seed's "A user is counted as" and "What doesn't count as a user" lists, verbatim below.
 */

export const DeviceKind = {
  DeskPhone: 'desk-phone',
  CordlessPhone: 'cordless-phone',
  ConferencePhone: 'conference-phone',
  Extension: 'extension',
  AppUser: 'app-user',
  VoicemailBox: 'voicemail-box',
  PhoneTree: 'phone-tree',
} as const;
export type DeviceKind = (typeof DeviceKind)[keyof typeof DeviceKind];

export const DEVICE_KINDS = Object.values(DeviceKind) as [DeviceKind, ...DeviceKind[]];

/** A phone, extension, app login, mailbox or menu on the customer's system. */
export interface Device {
  id: string;
  kind: DeviceKind;
  /** The person using it; every device of one person counts as one user. */
  user?: string;
  /** For an extension: whether it can make or receive calls or intercoms (absent: it can). */
  canCall?: boolean;
}

export const NotCountedReason = {
  VoicemailBox: 'voicemail-box',
  PhoneTree: 'phone-tree',
  ExtensionCannotCall: 'extension-cannot-call',
  SamePerson: 'same-person',
} as const;
export type NotCountedReason = (typeof NotCountedReason)[keyof typeof NotCountedReason];

export interface UserCount {
  /** Billable users: the seats of a per-user subscription. */
  users: number;
  /** One entry per user: who (or which unassigned device) and the devices that make it one. */
  counted: Array<{ user: string | null; deviceIds: string[] }>;
  notCounted: Array<{ deviceId: string; reason: NotCountedReason }>;
}

function exclusion(d: Device): NotCountedReason | undefined {
  switch (d.kind) {
    // "What doesn't count as a user: - A voicemail box."
    case 'voicemail-box':
      return 'voicemail-box';
    // "- A greeting menu or “phone tree”."
    case 'phone-tree':
      return 'phone-tree';
    // "An extension number that can make or receive calls or intercoms."
    case 'extension':
      return d.canCall === false ? 'extension-cannot-call' : undefined;
    // "A desk phone or cordless phone or conference speakerphone." / "A person using the custom App on
    // their smartphone or PC/Mac."
    case 'desk-phone':
    case 'cordless-phone':
    case 'conference-phone':
    case 'app-user':
      return undefined;
  }
}

/**
 * Counts billable users. "if you have one person using both a desk phone and they have downloaded and
 * set up the custom App on their cell phone or laptop, that will only count as one Support Subscription
 * user": devices naming the same `user` are one user; a device naming nobody (a lobby phone, a
 * conference room's speakerphone) is a user of its own.
 */
export function countUsers(devices: readonly Device[]): UserCount {
  const counted: UserCount['counted'] = [];
  const byPerson = new Map<string, { user: string | null; deviceIds: string[] }>();
  const notCounted: UserCount['notCounted'] = [];
  for (const d of devices) {
    const reason = exclusion(d);
    if (reason) {
      notCounted.push({ deviceId: d.id, reason });
      continue;
    }
    const person = d.user?.trim();
    if (!person) {
      counted.push({ user: null, deviceIds: [d.id] });
      continue;
    }
    const key = person.toLowerCase();
    const known = byPerson.get(key);
    if (known) {
      known.deviceIds.push(d.id);
      notCounted.push({ deviceId: d.id, reason: 'same-person' });
      continue;
    }
    const entry = { user: person, deviceIds: [d.id] };
    byPerson.set(key, entry);
    counted.push(entry);
  }
  return { users: counted.length, counted, notCounted };
}
