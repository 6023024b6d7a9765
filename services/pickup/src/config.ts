import { z } from 'zod';
import { baseServiceConfig, sellerKeyConfig } from '@recycling/service-kit';

const TIME_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

export const PickupConfig = baseServiceConfig.extend({
  // The resident key on events is an HMAC of the account id under this secret, so the topic cannot be
  // joined back to accounts by hashing guessed ids.
  ...sellerKeyConfig.shape,
  PICKUP_SLOT_WINDOWS: z
    .string()
    .default('10:00-13:00,16:00-19:00')
    .transform((s) =>
      s
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(TIME_WINDOW, 'HH:MM-HH:MM')).min(1))
    .describe('comma-separated local time windows of a pickup day, e.g. 10:00-13:00,16:00-19:00'),
  PICKUP_SLOT_CAPACITY: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(5)
    .describe('default number of pickups per district and window (default 5)'),
  PICKUP_MIN_LEAD_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30)
    .default(1)
    .describe('the earliest bookable day, in days after today (default 1: tomorrow)'),
  PICKUP_HORIZON_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(120)
    .default(14)
    .describe('the latest bookable day, in days after today (default 14)'),
});
export type PickupConfig = z.output<typeof PickupConfig>;
