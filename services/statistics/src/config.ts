import { alarProfile, loadCityProfile, type CityProfile } from '@recycling/contracts';
import { baseServiceConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const StatisticsConfig = baseServiceConfig.extend({
  TOPIC_PREFIX: z.string().optional().describe('deployment prefix of every topic name (optional)'),
  GENERATION_SYNC_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe('how often each replica syncs its consumers with the rollup generations, in ms'),
});
export type StatisticsConfig = z.output<typeof StatisticsConfig>;

export const cityProfileOf = (config: Pick<StatisticsConfig, 'CITY_PROFILE'>): CityProfile =>
  config.CITY_PROFILE ? loadCityProfile(config.CITY_PROFILE) : alarProfile;
