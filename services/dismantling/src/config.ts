import { alarProfile, loadCityProfile, type CityProfile } from '@recycling/contracts';
import { baseServiceConfig, sellerKeyConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const DismantlingConfig = baseServiceConfig.extend({
  ...sellerKeyConfig.shape,
  PORT: z.coerce.number().int().min(1).max(65535).default(4103).describe('the HTTP port (default 4103)'),
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')
    .optional()
    .describe('prefix of every Kafka topic and consumer group of this deployment (optional)'),
  VEHICLE_TAX_CATEGORY_CODE: z
    .string()
    .regex(/^\d{19}$/, '19 digits')
    .default('1090501010000000000')
    .describe('tax classification code (19 digits) printed on reverse invoices for scrapped vehicles'),
});
export type DismantlingConfig = z.output<typeof DismantlingConfig>;

export const cityProfileOf = (config: Pick<DismantlingConfig, 'CITY_PROFILE'>): CityProfile =>
  config.CITY_PROFILE ? loadCityProfile(config.CITY_PROFILE) : alarProfile;
