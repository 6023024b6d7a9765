import type { CityProfile } from '@recycling/contracts';
import type { Messaging } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import type { Models } from '../store/models';

/** What the use cases need: the store, the event factory, relay and locks, and the city's rules. */
export interface AppContext {
  models: Models;
  messaging: Pick<Messaging, 'events' | 'relay' | 'locks'>;
  profile: CityProfile;
  logger: Logger;
  /** SELLER_KEY_SECRET: turns a resident's account id into the residentKey pickup events carry. */
  residentKeySecret: string;
}
