import { baseServiceConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const StatisticsConfig = baseServiceConfig.extend({
  GENERATION_SYNC_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe('how often each replica syncs its consumers with the rollup generations, in ms'),
});
export type StatisticsConfig = z.output<typeof StatisticsConfig>;
