import type { CityProfile } from '@recycling/contracts';
import type { EventFactory } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import type { ArrivalRepository } from '../store/arrival-repository';
import type { BatchRepository } from '../store/batch-repository';
import type { IntakeRepository } from '../store/intake-repository';
import type { StationRepository } from '../store/station-repository';
import type { WorkListRepository } from '../store/work-list-repository';

// What every use case works with: the repositories (which take their own locks and save events with
// the change), the event factory, the city's reference data and the service's settings.
export interface SortingContext {
  stations: StationRepository;
  intakes: IntakeRepository;
  batches: BatchRepository;
  arrivals: ArrivalRepository;
  workLists: WorkListRepository;
  events: EventFactory;
  profile: CityProfile;
  sellerKeySecret: string;
  /** Tax classification code printed on purchase lines (商品和服务税收分类编码). */
  scrapTaxCategoryCode: string;
  logger: Logger;
  now: () => Date;
}
