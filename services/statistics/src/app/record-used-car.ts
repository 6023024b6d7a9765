// A market records a used-car transaction. The market's transaction id is the idempotency key: the first
// request inserts the document with its event in the outbox (one atomic write); a retry with the same
// content gets the same answer, a different content under the same id is a conflict. The transaction
// is then listed in its market's month; a retry lists it again if a crash came in between.
import {
  DomainError,
  UsedCarEventTypes,
  districtByCode,
  type Principal,
  type UsedCarTransactionRecordedData,
} from '@recycling/contracts';
import { recordingMarketOf } from '../domain/market-scope';
import type { UsedCarView } from '../store/market-months';
import { UsedCarTransactionRepository, type UsedCarTransactionDoc } from '../store/used-car-transactions';
import type { StatisticsContext } from './context';

export type UsedCarInput = Omit<UsedCarTransactionRecordedData, 'marketId' | 'occurredAt'>;

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

export const toView = (
  doc: Omit<UsedCarTransactionDoc, '_id' | 'recordedBy' | 'outbox' | 'outboxUpdatedAt'>,
): UsedCarView => ({
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
  ctx: Pick<StatisticsContext, 'usedCars' | 'marketMonths' | 'events' | 'profile' | 'now'>,
  principal: Principal,
  input: UsedCarInput,
): Promise<{ created: boolean; transaction: UsedCarView }> {
  const marketId = recordingMarketOf(principal);
  if (!districtByCode(ctx.profile, input.districtCode)) {
    throw new DomainError(
      'invalid',
      'unknown-district',
      `未知的区域 / Unknown district ${input.districtCode}.`,
      {
        fields: [
          { field: 'districtCode', message: 'not a district of the city profile', code: 'invalid_value' },
        ],
      },
    );
  }
  const now = ctx.now();
  const id = UsedCarTransactionRepository.idOf(marketId, input.transactionId);
  const fields = {
    _id: id,
    transactionId: input.transactionId,
    marketId,
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
    recordedBy: principal.sub,
  };
  const event = ctx.events(
    UsedCarEventTypes.transactionRecorded,
    { ...input, marketId, occurredAt: now.toISOString() },
    { subject: input.vin },
  );
  if (await ctx.usedCars.create(fields, [event])) {
    const transaction = toView(fields);
    await ctx.marketMonths.add(transaction);
    return { created: true, transaction };
  }
  const existing = await ctx.usedCars.find(id);
  if (!existing) throw new Error(`transaction ${input.transactionId} vanished after a duplicate key`);
  const same = CONTENT_FIELDS.every((f) => (existing[f] ?? undefined) === (input[f] ?? undefined));
  if (!same) {
    throw DomainError.conflict(
      'transaction-id-taken',
      `该交易编号已登记为不同内容 / Transaction ${input.transactionId} was already recorded with different content.`,
    );
  }
  const transaction = toView(existing);
  await ctx.marketMonths.add(transaction);
  return { created: false, transaction };
}
