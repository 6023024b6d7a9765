import { baseServiceConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const DisposalsConfig = baseServiceConfig.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(4107).describe('the HTTP port (default 4107)'),
});
export type DisposalsConfig = z.output<typeof DisposalsConfig>;
