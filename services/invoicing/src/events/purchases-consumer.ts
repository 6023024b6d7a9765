import {
  PurchaseEventTypes,
  parseEventSource,
  purchasesTopic,
  type DomainEvent,
  type PurchaseCorrectedData,
  type PurchaseRecordedData,
} from '@recycling/contracts';
import { PermanentEventError, type ConsumedEvent, type ConsumerSpec } from '@recycling/messaging';
import type { InvoicingContext } from '../app/context';
import { processPurchases } from '../app/process-purchase';
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
 * Most purchases applied in one run: more than a fetch of a partition holds (1 MB, ~700), so that a
 * fetch is not cut into a run and a short tail that reads and writes the same ledgers again.
 */
const MAX_RUN = 1_000;

/**
 * Purchases are keyed by seller, so one seller's purchases from every enterprise arrive in order on
 * one partition and this consumer is the only writer of that seller's ledger. The runner hands over
 * runs of consecutive purchase events of one partition, in order (validated against their schemas;
 * the payload carries the seller's identity, so nothing of it is logged), and a run is applied with
 * a few bulk operations (processPurchases).
 *
 * A purchase from another city can never be applied: the run's other purchases are applied, then
 * the run fails, and the runner applies its events again one at a time, so that the foreign one is
 * dead-lettered alone and the others are found applied already (duplicates, which change nothing).
 * A purchase whose decision fails is handled the same way (processPurchases leaves its seller's later
 * purchases to the one-at-a-time pass, to keep them in order).
 */
export function purchasesConsumer(ctx: InvoicingContext): ConsumerSpec {
  const handle = async (events: ConsumedEvent[]) => {
    const foreign: string[] = [];
    const revisions: PurchaseRevision[] = [];
    for (const { event } of events as ConsumedEvent<PurchaseRecordedData | PurchaseCorrectedData>[]) {
      const cityCode = cityOf(event);
      if (cityCode === ctx.profile.code) revisions.push(toRevision(event.data));
      else foreign.push(`${event.id} (${cityCode ?? 'unknown source'})`);
    }
    await processPurchases(ctx, revisions);
    if (foreign.length > 0) {
      throw new PermanentEventError(`purchase from another city: ${foreign.join(', ')}`);
    }
  };
  return {
    name: 'purchases',
    topics: [purchasesTopic.name],
    handlers: {},
    batch: {
      types: [PurchaseEventTypes.recorded, PurchaseEventTypes.corrected],
      handle,
      maxEvents: MAX_RUN,
    },
  };
}

const cityOf = (event: DomainEvent): string | undefined => parseEventSource(event.source)?.cityCode;
