import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys';
import { ROLES } from '../auth/principal';
import type { ChangeFeed } from '../db/change-feed';
import type { Db } from '../db/client';
import { notFound } from './problem';
import type { Api } from './route';
import { anyText, text } from './schemas';

const keyIdParam = z.strictObject({ id: z.string().regex(/^key_[a-z0-9_]{1,64}$/, 'not an API key id') });
const createBody = z
  .strictObject({
    role: z.enum(ROLES),
    tenantId: text(100)
      .optional()
      .describe('The customer organisation (customer) or reseller id (reseller); not allowed for staff and admin.'),
    label: anyText(200).optional(),
  })
  .superRefine((b, ctx) => {
    const tenanted = b.role === 'customer' || b.role === 'reseller';
    if (tenanted && b.tenantId === undefined) ctx.addIssue({ code: 'custom', path: ['tenantId'], message: `required for a ${b.role} key` });
    if (!tenanted && b.tenantId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['tenantId'], message: `a ${b.role} key has no tenant` });
  })
  .meta({ id: 'CreateApiKeyRequest' });

const keySchema = z
  .strictObject({
    id: z.string(),
    role: z.enum(ROLES),
    tenantId: z.string().nullable(),
    label: z.string(),
    revoked: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'ApiKey' });
const createdSchema = z
  .strictObject({ ...keySchema.shape, key: z.string().nullable().describe('The secret, shown once; null in an Idempotency-Key replay.') })
  .meta({ id: 'CreatedApiKey' });

export function apiKeyRoutes(api: Api, deps: { db: Db; changes?: ChangeFeed | undefined }): void {
  api.route({
    method: 'post',
    path: '/v1/api-keys',
    tag: 'API keys',
    summary: 'Create an API key',
    description:
      'The plaintext key is in this response only; the server keeps its SHA-256. A replay of the same Idempotency-Key shows the key id with `key: null`.',
    roles: ['admin'],
    body: createBody,
    responses: { 201: { description: 'Created.', schema: createdSchema } },
    redactReplay: (body) => ({ ...(body as object), key: null }),
    async handler({ body, annotate }) {
      const created = await createApiKey(deps.db, body);
      annotate({ createdKeyId: created.id });
      return { status: 201, body: created, headers: { Location: `/v1/api-keys/${created.id}` } };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/api-keys',
    tag: 'API keys',
    summary: 'List API keys',
    roles: ['admin'],
    responses: { 200: { description: 'Every key, without secrets.', schema: z.strictObject({ items: z.array(keySchema) }) } },
    async handler() {
      return { status: 200, body: { items: await listApiKeys(deps.db) } };
    },
  });

  api.route({
    method: 'delete',
    path: '/v1/api-keys/:id',
    tag: 'API keys',
    summary: 'Revoke an API key',
    description: 'Takes effect on the next request made with it.',
    roles: ['admin'],
    params: keyIdParam,
    responses: { 200: { description: 'Revoked.', schema: keySchema } },
    async handler({ params: { id } }) {
      const revoked = await revokeApiKey(deps.db, id);
      if (!revoked) throw notFound(`API key ${id}`);
      deps.changes?.changed('api_keys', id);
      return { status: 200, body: revoked };
    },
  });
}
