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
 * The partitions' runs are applied side by side, so that their store writes (locks, invoices,
 * outbox markers) go to the store in shared bulk writes (grouped-writes in @recycling/store): each
 * partition's run is small at a steady rate, since sellers spread over the partitions. Partitions
 * hold disjoint sellers, so nothing orders them against each other; within one, order stays.
 */
const PARTITIONS_AT_ONCE = 6;

/** The broker holds a fetch up to 100 ms for 16 KB, so that runs gather more than one purchase. */
const FETCH = { minBytes: 16 * 1024, maxWaitTimeInMs: 100 };

/**
 * Purchases are keyed by seller, so one seller's purchases from every enterprise arrive in order on
 * one partition and this consumer is the only writer of that seller's ledger. The runner hands over
 * runs of consecutive purchase events of one partition, in order (validated against their schemas;
 * the payload carries the seller's identity, so nothing of it is logged), and a run is applied with
 * a few bulk operations (processPurchases).
 *
 * A purchase whose decision fails (a ledger that names an invoice the store does not hold, say)
 * can never be applied: the run's other purchases are applied, then the run fails, and the runner
 * applies its events again one at a time, so that the bad one is dead-lettered alone and the others
 * are found applied already (duplicates, which change nothing). processPurchases leaves its seller's
 * later purchases of the run to that pass, to keep them in order. A purchase from another city is
 * dead-lettered by the runner before it gets here (`foreign-city`); should one get here all the
 * same, it is refused the same way.
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
    partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
    fetch: FETCH,
  };
}

const cityOf = (event: DomainEvent): string | undefined => parseEventSource(event.source)?.cityCode;
