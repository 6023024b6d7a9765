// The invoicing service as the kit runs it: what it keeps, what it consumes, what it serves.
import { defineService } from '@recycling/service-kit';
import { NumberSequences } from '@recycling/store';
import type { Model } from 'mongoose';
import type { InvoicingContext } from './app/context';
import { startDeclarationScheduler } from './app/declaration-scheduler';
import { InvoicingConfig } from './config';
import { pickupsConsumer } from './events/pickups-consumer';
import { purchasesConsumer } from './events/purchases-consumer';
import { invoicingEndpoints } from './http/endpoints';
import { DeclarationRepository } from './store/declaration-repository';
import { EnterpriseRepository } from './store/enterprise-repository';
import { BulkLocks } from './store/bulk-locks';
import { InvoiceRepository } from './store/invoice-repository';
import { INVOICE_NUMBERS_COLLECTION, openStore } from './store/models';
import { PickupIndexRepository } from './store/pickup-index-repository';
import { SellerLedgerRepository } from './store/seller-ledger-repository';

export const invoicingService = defineService({
  name: 'invoicing',
  title: { zh: '反向开票服务', en: 'Invoicing service' },
  description: {
    zh: '反向开票、按月代扣代缴申报与税务机关数据接口',
    en: 'Reverse invoicing, monthly withholding declarations and the tax office feed',
  },
  config: InvoicingConfig,
  store: ({ connection }) => openStore(connection),
  outbox: (models) =>
    [models.InvoiceRecord, models.InvoiceEvents, models.Declaration] as unknown as Array<Model<never>>,
  context: ({ store: models, connection, messaging, config, profile, logger, now }): InvoicingContext => {
    const deps = { locks: messaging.locks, outbox: messaging.relay };
    return {
      enterprises: new EnterpriseRepository(models, messaging.locks),
      ledgers: new SellerLedgerRepository(models, new BulkLocks(connection)),
      invoices: new InvoiceRepository(models, deps),
      // The allocator the dismantling service's certificate numbers use, on the numbers kept so far.
      numbers: new NumberSequences(connection, { collection: INVOICE_NUMBERS_COLLECTION, now }),
      declarations: new DeclarationRepository(models, deps),
      pickupIndex: new PickupIndexRepository(models, messaging.locks),
      events: messaging.events,
      profile,
      logger,
      residentKeySecret: config.SELLER_KEY_SECRET,
      feedSettleMs: config.FEED_SETTLE_MS,
      now,
    };
  },
  consumers: (ctx) => [purchasesConsumer(ctx), pickupsConsumer(ctx)],
  endpoints: invoicingEndpoints,
  // Stopped before the consumers and messaging: the scheduler's last pass still has its relay.
  background: (ctx, { config }) =>
    config.DECLARATION_SCHEDULE_MS > 0
      ? [startDeclarationScheduler(ctx, config.DECLARATION_SCHEDULE_MS)]
      : [],
});
