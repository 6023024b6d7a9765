import { baseServiceConfig, sellerKeyConfig } from '@recycling/service-kit';
import { z } from 'zod';

/** The local development data key (documented in the README); refused under NODE_ENV=production. */
export const LOCAL_DEV_DATA_KEY = '6c6f63616c2d6465762d737562736964792d646174612d6b65792d2d2d2d2d21';

export const SubsidiesConfig = baseServiceConfig.extend({
  // Person keys are seller keys: an HMAC of the id document under the network's one secret, so the
  // subsidy office's person is the invoicing office's seller.
  ...sellerKeyConfig.shape,
  PORT: z.coerce.number().int().min(1).max(65535).default(4106).describe('the HTTP port (default 4106)'),
  SUBSIDY_DATA_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hex characters')
    .default(LOCAL_DEV_DATA_KEY)
    .describe(
      'AES-256-GCM key (64 hex characters) that encrypts applicants’ and buyers’ personal data and bank cards at rest; the local development key is refused in production',
    ),
});
export type SubsidiesConfig = z.output<typeof SubsidiesConfig>;
