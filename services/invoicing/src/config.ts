import { alarProfile, loadCityProfile, type CityProfile } from '@recycling/contracts';
import { baseServiceConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const InvoicingConfig = baseServiceConfig.extend({
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -')
    .optional()
    .describe('prefix of every Kafka topic and consumer group of this deployment (optional)'),
  FEED_SETTLE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5_000)
    .describe('milliseconds before a new invoice appears in the tax office feed (default 5000)'),
  DECLARATION_SCHEDULE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(3_600_000)
    .describe("how often last month's declarations are prepared, in ms; 0 turns it off (default 3600000)"),
});
export type InvoicingConfig = z.output<typeof InvoicingConfig>;

/** The city profile: CITY_PROFILE's file, or Alar's. Tax parameters and the city code come from it. */
export const cityProfileOf = (config: Pick<InvoicingConfig, 'CITY_PROFILE'>): CityProfile =>
  config.CITY_PROFILE ? loadCityProfile(config.CITY_PROFILE) : alarProfile;
