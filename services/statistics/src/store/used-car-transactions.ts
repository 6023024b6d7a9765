// Used-car transactions as markets record them. The document is keyed by the market's transaction id
// (inserting it is the idempotency claim) and carries its event in an outbox; no buyer or seller is
// kept, the targets count vehicles and value.
import { outboxPlugin, type OutboxFields, type PendingEvent } from '@recycling/messaging';
import { AggregateRepository, type RepositoryDeps } from '@recycling/store';
import { Schema, type Connection, type Model } from 'mongoose';

export interface UsedCarTransactionDoc extends OutboxFields {
  /** `<marketId>:<transactionId>`: two markets may number their transactions alike. */
  _id: string;
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
  recordedAt: Date;
  recordedBy: string;
}

export function usedCarTransactionModel(connection: Connection): Model<UsedCarTransactionDoc> {
  const schema = new Schema<UsedCarTransactionDoc>(
    {
      _id: { type: String, required: true },
      transactionId: { type: String, required: true },
      marketId: { type: String, required: true, index: true },
      vin: { type: String, required: true },
      plateMasked: { type: String, required: true },
      districtCode: { type: String, required: true },
      vehicleType: { type: String, required: true },
      fuelType: { type: String, required: true },
      emissionStandard: String,
      priceFen: { type: Number, required: true },
      invoiceNo: { type: String, required: true },
      transactedOn: { type: String, required: true },
      recordedAt: { type: Date, required: true },
      recordedBy: { type: String, required: true },
    },
    { collection: 'used_car_transactions', versionKey: false },
  );
  schema.plugin(outboxPlugin);
  return connection.model<UsedCarTransactionDoc>('UsedCarTransaction', schema);
}

/**
 * Used-car transactions: recorded by inserting the document with its event in the outbox (one write,
 * atomic under the unique `_id`, which is the market's idempotency claim), read back by `_id`.
 */
export class UsedCarTransactionRepository extends AggregateRepository<UsedCarTransactionDoc, PendingEvent> {
  constructor(model: Model<UsedCarTransactionDoc>, deps: RepositoryDeps) {
    super(model, deps, { lockPrefix: 'used-car-transaction' });
  }

  static idOf(marketId: string, transactionId: string): string {
    return `${marketId}:${transactionId}`;
  }
}
