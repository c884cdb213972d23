export const ROLES = ['customer', 'reseller', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from an API key on every request. */
export interface Principal {
  keyId: string;
  role: Role;
  /** The customer's organisation (customer) or the reseller's id (reseller); null for staff and admin. */
  tenantId: string | null;
}

/** The tenants an object belongs to: a ticket's customer and, when a reseller opened it, that reseller. */
export interface Owner {
  customerId: string;
  resellerId?: string | null;
}

/** Whether the caller may know the object exists at all; an invisible object is answered with 404. */
export function canSee(p: Principal, owner: Owner): boolean {
  switch (p.role) {
    case 'staff':
    case 'admin':
      return true;
    case 'customer':
      return owner.customerId === p.tenantId;
    case 'reseller':
      return !!owner.resellerId && owner.resellerId === p.tenantId;
  }
}
