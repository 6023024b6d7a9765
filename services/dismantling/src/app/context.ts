import type { CityProfile } from '@recycling/contracts';
import type { EventFactory } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import type { PurchaseTerms } from '../domain/purchase';
import type { CertificateNumbers } from '../store/certificate-numbers';
import type { DismantlerRepository } from '../store/dismantler-repository';
import type { EarlyIntakeRepository } from '../store/early-intake-repository';
import type { ExpectedVehicleRepository } from '../store/expected-vehicle-repository';
import type { VehicleIntakeRepository } from '../store/vehicle-intake-repository';
import type { VinClaimRepository } from '../store/vin-claim-repository';
import type { WorkListRepository } from '../store/work-list-repository';

/** What the use cases work with; built once by the service definition. */
export interface AppContext {
  dismantlers: DismantlerRepository;
  expectedVehicles: ExpectedVehicleRepository;
  intakes: VehicleIntakeRepository;
  earlyIntakes: EarlyIntakeRepository;
  vinClaims: VinClaimRepository;
  workLists: WorkListRepository;
  certificateNumbers: CertificateNumbers;
  events: EventFactory;
  profile: CityProfile;
  sellerKeySecret: string;
  purchaseTerms: PurchaseTerms;
  logger: Logger;
  now: () => Date;
}

/**
 * Event data is stored before it is published. Mongoose drops undefined fields, but the driver alone
 * writes them as null, which consumers' schemas refuse for optional fields; keeping the data in its
 * JSON form makes what is stored exactly what is published, whichever path writes it.
 */
export const withoutUndefined = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Drops the undefined fields of one object, keeping Dates as they are (for stored sub-documents). */
export const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
