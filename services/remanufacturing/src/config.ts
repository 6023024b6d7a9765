import { baseServiceConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const RemanufacturingConfig = baseServiceConfig.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(4108).describe('the HTTP port (default 4108)'),
});
export type RemanufacturingConfig = z.output<typeof RemanufacturingConfig>;
