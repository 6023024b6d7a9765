// A market's used-car transactions by month of sale, for its list. FerretDB v1 answers a filter on
// `marketId` by scanning every market's transactions, so each (market, month) keeps the views of its
// transactions in one document read by `_id`: a page is a few point reads whatever the number of
// markets. Transactions never change once recorded, so the copy cannot go stale. A month document is
// written under a lock on it (several requests of one market may record at once, and FerretDB v1
// updates are not atomic).
import type { DocumentLocks } from '@recycling/messaging';
import type { Connection, mongo } from 'mongoose';

export const MARKET_MONTHS_COLLECTION = 'used_car_market_months';

export interface UsedCarView {
  transactionId: string;
  marketId: string;
  vin: string;
  plateMasked: string;
  districtCode: string;
  vehicleType: string;
  fuelType: string;
  emissionStandard?: string;
  priceFen: number;
  invoiceNo: string;
  transactedOn: string;
  recordedAt: string;
}

export interface MarketMonthDoc {
  _id: string;
  marketId: string;
  month: string;
  items: UsedCarView[];
}

export const marketMonthId = (marketId: string, month: string): string => `${marketId}|${month}`;

export class MarketMonthStore {
  readonly collection: mongo.Collection<MarketMonthDoc>;

  constructor(
    connection: Connection,
    private readonly locks: Pick<DocumentLocks, 'withLock'>,
  ) {
    this.collection = connection.collection<MarketMonthDoc>(MARKET_MONTHS_COLLECTION);
  }

  /** Lists a transaction in its market's month; already listed changes nothing (a retried request). */
  async add(view: UsedCarView): Promise<void> {
    const month = view.transactedOn.slice(0, 7);
    const _id = marketMonthId(view.marketId, month);
    await this.locks.withLock(`used-car-market-month:${_id}`, async () => {
      const doc = await this.collection.findOne({ _id }, { projection: { 'items.transactionId': 1 } });
      if (doc?.items.some((i) => i.transactionId === view.transactionId)) return;
      await this.collection.updateOne(
        { _id },
        { $push: { items: view }, $set: { marketId: view.marketId, month } },
        { upsert: true },
      );
    });
  }

  async month(marketId: string, month: string): Promise<UsedCarView[]> {
    const doc = await this.collection.findOne({ _id: marketMonthId(marketId, month) });
    return doc?.items ?? [];
  }
}
