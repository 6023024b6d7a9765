import { baseServiceConfig, sellerKeyConfig } from '@recycling/service-kit';
import { z } from 'zod';

export const InvoicingConfig = baseServiceConfig.extend({
  // Residents' tokens are matched to the pickups' resident keys with contracts' residentKeyOf.
  ...sellerKeyConfig.shape,
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
