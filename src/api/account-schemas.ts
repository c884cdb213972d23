import { z } from 'zod';
import { DEVICE_KINDS } from '../domain/subscription/user-count';
import { instant, resourceId, text, zone } from './schemas';

const contact = z.strictObject({ name: text(200).optional(), email: z.email().max(320) });
const customerContact = contact.extend({
  administrator: z
    .boolean()
    .optional()
    .describe('004: the customer’s system administrator, mailed every system administration issue or event reported for it.'),
});
const domain = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'expected a mail domain such as acme.com');

const system = z.strictObject({
  id: resourceId,
  type: text(100).describe('002: the system type (UCX250); 000: the product.'),
  hostId: text(100).optional(),
  product: text(100).optional(),
  release: text(100).optional().describe('Software release level or build, e.g. 5.1 or 100.0.9000.'),
  warrantyEnd: instant.optional().describe('End of the hardware warranty.'),
  endOfLife: z.boolean().optional().describe('004: the product is end-of-life, so its configuration is not backed up.'),
});

const device = z.strictObject({
  id: resourceId,
  kind: z.enum(DEVICE_KINDS).describe('004: phones, extensions and app users count as users; voicemail boxes and phone trees do not.'),
  user: text(200).optional().describe('The person using it: one person’s desk phone and app count as one user.'),
  canCall: z.boolean().optional().describe('For an extension: whether it can make or receive calls or intercoms (default true).'),
});

const contract = z
  .strictObject({
    id: resourceId,
    policyId: text(100).describe('The support policy bought; tickets covered by this contract run on it.'),
    validFrom: instant,
    validTo: instant.optional().describe('Exclusive end; absent for an open-ended contract.'),
    systemIds: z.array(resourceId).min(1).max(200).optional().describe('Only these systems; absent: every system of the customer.'),
  })
  .describe('validTo must be after validFrom (checked with the record: 422 invalid_account).');

const customerFields = {
  name: text(200),
  timeZone: zone,
  vendorId: text(100).describe('Whose support the customer buys: smartertools, smartwork, emetrotel, mailup, per-user.'),
  resellerId: resourceId.optional().describe('The reseller the customer bought through (002); it opens tickets for the customer.'),
  contacts: z.array(customerContact).max(200).default([]).describe('People who may open tickets; tickets are mailed to them.'),
  domains: z.array(domain).max(50).default([]).describe('Every address on these domains may open tickets.'),
  contracts: z.array(contract).max(100).default([]),
  systems: z.array(system).max(500).default([]),
  devices: z.array(device).max(5000).default([]).describe('What per-user seats are counted from (004).'),
};

export const createCustomerBody = z.strictObject({ id: resourceId, ...customerFields }).meta({ id: 'CreateCustomerRequest' });

/** Lists are replaced whole: a PATCH with `contracts` states every contract the customer has. */
export const patchCustomerBody = z
  .strictObject({
    name: customerFields.name.optional(),
    timeZone: zone.optional(),
    resellerId: resourceId.nullable().optional(),
    contacts: z.array(customerContact).max(200).optional(),
    domains: z.array(domain).max(50).optional(),
    contracts: z.array(contract).max(100).optional(),
    systems: z.array(system).max(500).optional(),
    devices: z.array(device).max(5000).optional(),
  })
  .refine((o) => Object.keys(o).length > 0, 'send at least one field')
  .meta({ id: 'PatchCustomerRequest', minProperties: 1 });

export const customerSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    vendorId: z.string(),
    resellerId: z.string().optional(),
    contacts: z.array(z.strictObject({ name: z.string().optional(), email: z.string(), administrator: z.boolean().optional() })),
    domains: z.array(z.string()),
    contracts: z.array(
      z.strictObject({
        id: z.string(),
        policyId: z.string(),
        validFrom: z.string(),
        validTo: z.string().optional(),
        systemIds: z.array(z.string()).optional(),
      }),
    ),
    systems: z.array(
      z.strictObject({
        id: z.string(),
        type: z.string(),
        hostId: z.string().optional(),
        product: z.string().optional(),
        release: z.string().optional(),
        warrantyEnd: z.string().optional(),
        endOfLife: z.boolean().optional(),
      }),
    ),
    devices: z.array(
      z.strictObject({ id: z.string(), kind: z.enum(DEVICE_KINDS), user: z.string().optional(), canCall: z.boolean().optional() }),
    ),
  })
  .meta({ id: 'Customer' });

export const createResellerBody = z
  .strictObject({ id: resourceId, name: text(200), vendorId: text(100), contacts: z.array(contact).max(200).default([]) })
  .meta({ id: 'CreateResellerRequest' });
export const patchResellerBody = z
  .strictObject({ name: text(200).optional(), contacts: z.array(contact).max(200).optional() })
  .refine((o) => Object.keys(o).length > 0, 'send at least one field')
  .meta({ id: 'PatchResellerRequest', minProperties: 1 });
export const resellerSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    vendorId: z.string(),
    contacts: z.array(z.strictObject({ name: z.string().optional(), email: z.string() })),
  })
  .meta({ id: 'Reseller' });

const pageLimit = z
  .string()
  .regex(/^\d{1,3}$/, 'expected 1-200')
  .meta({ pattern: '^(?:0{0,2}[1-9]|0?[1-9][0-9]|1[0-9][0-9]|200)$', description: 'Page size, 1 to 200.' })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 200, 'expected 1-200');

export const accountListQuery = z.strictObject({
  limit: pageLimit.optional(),
  cursor: resourceId.optional().describe('nextCursor of the previous page.'),
});
export const customerPageSchema = z
  .strictObject({ items: z.array(customerSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CustomerPage' });
export const resellerPageSchema = z
  .strictObject({ items: z.array(resellerSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ResellerPage' });
