/** The vocabulary of a ticket's conversation (issue 15, item 1). */
export enum MessageKind {
  Request = 'request',
  CustomerReply = 'customer_reply',
  StaffReply = 'staff_reply',
  InternalNote = 'internal_note',
  System = 'system',
}

export enum AuthorKind {
  Customer = 'customer',
  /** The customer's reseller, writing on its end user's ticket (002). */
  Reseller = 'reseller',
  Staff = 'staff',
  System = 'system',
}

/** Internal messages are staff's only: never listed for a customer or reseller key, never mailed to one. */
export enum Visibility {
  Public = 'public',
  Internal = 'internal',
}

export enum MessageChannel {
  Email = 'email',
  Phone = 'phone',
  Web = 'web',
  Internal = 'internal',
}

export const MESSAGE_KINDS = Object.values(MessageKind) as [MessageKind, ...MessageKind[]];
export const AUTHOR_KINDS = Object.values(AuthorKind) as [AuthorKind, ...AuthorKind[]];
export const VISIBILITIES = Object.values(Visibility) as [Visibility, ...Visibility[]];
export const MESSAGE_CHANNELS = Object.values(MessageChannel) as [MessageChannel, ...MessageChannel[]];
