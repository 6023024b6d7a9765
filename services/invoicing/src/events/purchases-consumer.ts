import {
  PurchaseEventTypes,
  parseEventSource,
  purchasesTopic,
  type DomainEvent,
  type PurchaseCorrectedData,
  type PurchaseRecordedData,
} from '@recycling/contracts';
import { PermanentEventError, type ConsumerSpec } from '@recycling/messaging';
import type { InvoicingContext } from '../app/context';
import { processPurchase } from '../app/process-purchase';
import type { PurchaseRevision } from '../domain/decide-purchase';

const toRevision = (data: PurchaseRecordedData | PurchaseCorrectedData): PurchaseRevision => ({
  purchaseId: data.purchaseId,
  revision: data.revision,
  buyerId: data.buyer.enterpriseId,
  seller: data.seller,
  lines: data.lines,
  totalFen: data.totalFen,
  occurredAt: data.occurredAt,
  ...('reason' in data ? { reason: data.reason } : {}),
  ...(data.pickupId ? { pickupId: data.pickupId } : {}),
});

/**
 * Purchases are keyed by seller, so one seller's purchases from every enterprise arrive in order on
 * one partition and this consumer is the only writer of that seller's ledger. The runner has
 * validated the data; the payload carries the seller's identity, so nothing of it is logged.
 */
export function purchasesConsumer(ctx: InvoicingContext): ConsumerSpec {
  const handle = async (event: DomainEvent<PurchaseRecordedData | PurchaseCorrectedData>) => {
    const source = parseEventSource(event.source);
    if (source?.cityCode !== ctx.profile.code) {
      throw new PermanentEventError(`purchase from another city (${source?.cityCode ?? 'unknown source'})`);
    }
    await processPurchase(ctx, toRevision(event.data));
  };
  return {
    name: 'purchases',
    topics: [purchasesTopic.name],
    handlers: { [PurchaseEventTypes.recorded]: handle, [PurchaseEventTypes.corrected]: handle },
  };
}
