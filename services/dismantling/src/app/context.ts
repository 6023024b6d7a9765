import type { CityProfile } from '@recycling/contracts';
import type { Messaging } from '@recycling/messaging';
import type { Logger } from 'pino';
import type { PurchaseTerms } from '../domain/purchase';
import type { Models } from '../store/models';

/** What the use cases need: the store, the event factory and relay, document locks, the rules. */
export interface AppContext {
  models: Models;
  messaging: Pick<Messaging, 'events' | 'relay' | 'locks'>;
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
