import type { CityProfile } from '@recycling/contracts';
import type { Messaging } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import { localDateOf } from '../domain/local-dates';
import type { SlotPolicy } from '../domain/slots';
import type { PickupModels } from '../store/models';
import type { SeatRepository } from '../store/seat-repository';

/** What the use cases work with; built once by buildService. */
export interface PickupContext {
  models: PickupModels;
  seats: SeatRepository;
  messaging: Pick<Messaging, 'events' | 'relay' | 'locks'>;
  profile: CityProfile;
  policy: SlotPolicy;
  residentKeySecret: string;
  logger: Logger;
  now: () => Date;
}

export const todayOf = (ctx: PickupContext): string => localDateOf(ctx.now(), ctx.profile.timezone);
