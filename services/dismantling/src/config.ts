import { baseServiceConfig, sellerKeyConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const DismantlingConfig = baseServiceConfig.extend({
  ...sellerKeyConfig.shape,
  PORT: z.coerce.number().int().min(1).max(65535).default(4103).describe('the HTTP port (default 4103)'),
  VEHICLE_TAX_CATEGORY_CODE: z
    .string()
    .regex(/^\d{19}$/, '19 digits')
    .default('1090501010000000000')
    .describe('tax classification code (19 digits) printed on reverse invoices for scrapped vehicles'),
});
export type DismantlingConfig = z.output<typeof DismantlingConfig>;
