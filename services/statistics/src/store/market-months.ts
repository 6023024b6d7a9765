// A market's used-car transactions by month of sale, for its list. FerretDB v1 answers a filter on
// `marketId` by converting every market's transactions in Go, and even an `_id` lookup reads its whole
// table (see `src/domain/series-layout.ts`), so each (market, month) keeps the views of its
// transactions in one document, `<market>|<MM>` in the collection of the year of sale: a page is a
// few lookups in collections of one year each, whatever the length of the history. Transactions never
// change once recorded, so the copy cannot go stale. A month document is
// written under a lock on it (several requests of one market may record at once, and FerretDB v1
// updates are not atomic).
import type { DocumentLocks } from '@recycling/store';
import type { Connection, mongo } from 'mongoose';

/** The collection of the sales of one year. */
export const marketMonthsCollection = (year: string): string => `used-car-sales.${year}`;

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

export const marketMonthId = (marketId: string, month: string): string => `${marketId}|${month.slice(5, 7)}`;

export class MarketMonthStore {
  constructor(
    private readonly connection: Connection,
    private readonly locks: Pick<DocumentLocks, 'withLock'>,
  ) {}

  collection(month: string): mongo.Collection<MarketMonthDoc> {
    return this.connection.collection<MarketMonthDoc>(marketMonthsCollection(month.slice(0, 4)));
  }

  /** Lists a transaction in its market's month; already listed changes nothing (a retried request). */
  async add(view: UsedCarView): Promise<void> {
    const month = view.transactedOn.slice(0, 7);
    const _id = marketMonthId(view.marketId, month);
    const collection = this.collection(month);
    await this.locks.withLock(`used-car-market-month:${view.marketId}|${month}`, async () => {
      const doc = await collection.findOne({ _id }, { projection: { 'items.transactionId': 1 } });
      if (doc?.items.some((i) => i.transactionId === view.transactionId)) return;
      await collection.updateOne(
        { _id },
        { $push: { items: view }, $set: { marketId: view.marketId, month } },
        { upsert: true },
      );
    });
  }

  async month(marketId: string, month: string): Promise<UsedCarView[]> {
    const doc = await this.collection(month).findOne({ _id: marketMonthId(marketId, month) });
    return doc?.items ?? [];
  }
}
