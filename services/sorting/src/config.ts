import { baseServiceConfig, sellerKeyConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const SortingConfig = baseServiceConfig.extend({
  ...sellerKeyConfig.shape,
  PORT: z.coerce.number().int().min(1).max(65535).default(4102).describe('the HTTP port (default 4102)'),
  SCRAP_TAX_CATEGORY_CODE: z
    .string()
    .regex(/^\d{19}$/, '19 digits')
    .default('1090501010000000000')
    .describe(
      'tax classification code (商品和服务税收分类编码) printed on purchase lines, 19 digits; the default is a ' +
        'placeholder the tax office must confirm',
    ),
});
export type SortingConfig = z.output<typeof SortingConfig>;
