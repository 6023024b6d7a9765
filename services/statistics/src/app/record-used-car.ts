// A market records a used-car transaction. The market's transaction id is the idempotency key: the first
// request inserts the document with its event in the outbox (one atomic write); a retry with the same
// content gets the same answer, a different content under the same id is a conflict. The transaction
// is then listed in its market's month; a retry lists it again if a crash came in between.
import {
  UsedCarEventTypes,
  districtByCode,
  type CityProfile,
  type UsedCarTransactionRecordedData,
} from '@recycling/contracts';
import type { Messaging } from '@recycling/messaging';
import { HttpProblem } from '@recycling/service-kit';
import type { Model } from 'mongoose';
import type { MarketMonthStore, UsedCarView } from '../store/market-months';
import type { UsedCarTransactionDoc } from '../store/used-car-transactions';

export type UsedCarInput = Omit<UsedCarTransactionRecordedData, 'marketId' | 'occurredAt'>;

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

const CONTENT_FIELDS = [
  'vin',
  'plateMasked',
  'districtCode',
  'vehicleType',
  'fuelType',
  'emissionStandard',
  'priceFen',
  'invoiceNo',
  'transactedOn',
] as const;

export const toView = (doc: UsedCarTransactionDoc): UsedCarView => ({
  transactionId: doc.transactionId,
  marketId: doc.marketId,
  vin: doc.vin,
  plateMasked: doc.plateMasked,
  districtCode: doc.districtCode,
  vehicleType: doc.vehicleType,
  fuelType: doc.fuelType,
  ...(doc.emissionStandard ? { emissionStandard: doc.emissionStandard } : {}),
  priceFen: doc.priceFen,
  invoiceNo: doc.invoiceNo,
  transactedOn: doc.transactedOn,
  recordedAt: doc.recordedAt.toISOString(),
});

export async function recordUsedCarTransaction(
  deps: {
    model: Model<UsedCarTransactionDoc>;
    messaging: Pick<Messaging, 'events' | 'relay'>;
    profile: CityProfile;
    marketMonths: Pick<MarketMonthStore, 'add'>;
  },
  input: UsedCarInput,
  market: { marketId: string; by: string },
  now = new Date(),
): Promise<{ created: boolean; transaction: UsedCarView }> {
  if (!districtByCode(deps.profile, input.districtCode)) {
    throw HttpProblem.badRequest(`未知的区域 / Unknown district ${input.districtCode}.`, [
      { field: 'districtCode', message: 'not a district of the city profile', code: 'invalid_value' },
    ]);
  }
  const event = deps.messaging.events(
    UsedCarEventTypes.transactionRecorded,
    { ...input, marketId: market.marketId, occurredAt: now.toISOString() },
    { subject: input.vin },
  );
  try {
    const doc = await deps.model.create({
      _id: `${market.marketId}:${input.transactionId}`,
      transactionId: input.transactionId,
      marketId: market.marketId,
      vin: input.vin,
      plateMasked: input.plateMasked,
      districtCode: input.districtCode,
      vehicleType: input.vehicleType,
      fuelType: input.fuelType,
      emissionStandard: input.emissionStandard,
      priceFen: input.priceFen,
      invoiceNo: input.invoiceNo,
      transactedOn: input.transactedOn,
      recordedAt: now,
      recordedBy: market.by,
      outbox: [event],
      outboxUpdatedAt: now,
    });
    deps.messaging.relay.nudge(deps.model, [doc._id]);
    const transaction = toView(doc.toObject());
    await deps.marketMonths.add(transaction);
    return { created: true, transaction };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const existing = await deps.model.findById(`${market.marketId}:${input.transactionId}`).lean();
  if (!existing) throw new Error(`transaction ${input.transactionId} vanished after a duplicate key`);
  const same = CONTENT_FIELDS.every((f) => (existing[f] ?? undefined) === (input[f] ?? undefined));
  if (!same) {
    throw HttpProblem.conflict(
      `该交易编号已登记为不同内容 / Transaction ${input.transactionId} was already recorded with different content.`,
    );
  }
  const transaction = toView(existing as UsedCarTransactionDoc);
  await deps.marketMonths.add(transaction);
  return { created: false, transaction };
}
