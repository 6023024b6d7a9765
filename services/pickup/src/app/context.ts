import type { CityProfile } from '@recycling/contracts';
import type { EventFactory } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import { localDateOf } from '../domain/local-dates';
import type { SlotPolicy } from '../domain/slots';
import type { PickupRepository } from '../store/pickup-repository';
import type { ResidentPickupsRepository } from '../store/resident-pickups-repository';
import type { SeatRepository } from '../store/seat-repository';
import type { SiteRepository } from '../store/site-repository';
import type { SlotDayRepository } from '../store/slot-day-repository';

/** What the use cases work with; built once by the service definition. */
export interface PickupContext {
  pickups: PickupRepository;
  residentPickups: ResidentPickupsRepository;
  seats: SeatRepository;
  sites: SiteRepository;
  slotDays: SlotDayRepository;
  events: EventFactory;
  profile: CityProfile;
  policy: SlotPolicy;
  residentKeySecret: string;
  logger: Logger;
  now: () => Date;
}

export const todayOf = (ctx: PickupContext): string => localDateOf(ctx.now(), ctx.profile.timezone);
