import type { CityProfile } from '@recycling/contracts';
import type { EventFactory } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import type { NumberSequences } from '@recycling/store';
import type { DeclarationRepository } from '../store/declaration-repository';
import type { EnterpriseRepository } from '../store/enterprise-repository';
import type { InvoiceRepository } from '../store/invoice-repository';
import type { PickupIndexRepository } from '../store/pickup-index-repository';
import type { SellerLedgerRepository } from '../store/seller-ledger-repository';

/** What the use cases work with: the store's repositories, the event factory, the city's rules. */
export interface InvoicingContext {
  enterprises: EnterpriseRepository;
  ledgers: SellerLedgerRepository;
  invoices: InvoiceRepository;
  /** Invoice numbers: one sequence per city and year (`numberSequenceOf`), holders = runs or invoices. */
  numbers: NumberSequences;
  declarations: DeclarationRepository;
  pickupIndex: PickupIndexRepository;
  events: EventFactory;
  profile: CityProfile;
  logger: Logger;
  /** SELLER_KEY_SECRET: turns a resident's account id into the residentKey pickup events carry. */
  residentKeySecret: string;
  /** How old a feed entry must be before the feed shows it (see invoice-feed.ts). */
  feedSettleMs: number;
  now: () => Date;
}
