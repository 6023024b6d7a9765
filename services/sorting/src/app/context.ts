import type { CityProfile } from '@recycling/contracts';
import type { Messaging } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import type { SortingModels } from '../store/models';

// What every use case works with: the store, the event flow (factory, relay, locks), the city's
// reference data and the service's settings.
export interface SortingContext {
  models: SortingModels;
  messaging: Pick<Messaging, 'events' | 'relay' | 'locks'>;
  profile: CityProfile;
  sellerKeySecret: string;
  /** Tax classification code printed on purchase lines (商品和服务税收分类编码). */
  scrapTaxCategoryCode: string;
  logger: Logger;
  now: () => Date;
}

/** Who acts: the token's subject, and whether they may act at a station (their scope). */
export interface Actor {
  sub: string;
  assertStation(stationId: string): void;
}
