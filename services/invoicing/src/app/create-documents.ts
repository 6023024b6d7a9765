import { InvoiceEventTypes } from '@recycling/contracts';
import type { PlannedDocument } from '../domain/decide-purchase';
import { formatInvoiceNo } from '../domain/invoice-number';
import { monthOf } from '../domain/months';
import { allocateSequence } from '../store/invoice-numbers';
import type { InvoiceRecordDoc } from '../store/models';
import type { AppContext } from './context';
import { indexByPickup } from './pickup-index';

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

const eventTypeOf: Record<PlannedDocument['kind'], string> = {
  issued: InvoiceEventTypes.issued,
  reversed: InvoiceEventTypes.reversed,
  refused: InvoiceEventTypes.refused,
};

/**
 * Creates the planned documents in order, each with its event in its outbox (one insert). Safe to run
 * again after a crash: a document that exists is skipped, and its number was allocated to its id.
 */
export async function createDocuments(ctx: AppContext, planned: readonly PlannedDocument[]): Promise<void> {
  const { InvoiceRecord } = ctx.models;
  for (const doc of planned) {
    if (await InvoiceRecord.exists({ _id: doc.invoiceId })) continue;
    let invoiceNo: string | null = null;
    let data: Record<string, unknown> = doc.data;
    if (doc.kind !== 'refused') {
      const sequence = await allocateSequence(ctx.models, doc.issuerId, doc.invoiceId);
      invoiceNo = formatInvoiceNo(ctx.profile.code, sequence);
      data = { ...doc.data, invoiceNo };
    }
    const event = ctx.messaging.events(eventTypeOf[doc.kind], data, { subject: doc.invoiceId });
    const record: InvoiceRecordDoc = {
      _id: doc.invoiceId,
      kind: doc.kind,
      eventType: event.type,
      issuerId: doc.issuerId,
      sellerKey: doc.kind === 'refused' ? doc.data.sellerKey : doc.data.seller.sellerKey,
      purchaseId: doc.data.purchaseId,
      purchaseRevision: doc.data.purchaseRevision,
      ...(doc.pickupId ? { pickupId: doc.pickupId } : {}),
      period: doc.kind === 'refused' ? monthOf(doc.data.occurredAt, ctx.profile.timezone) : doc.data.period,
      invoiceNo,
      data: event.data as Record<string, unknown>,
      recordedAt: new Date(),
      outbox: [event],
      outboxUpdatedAt: new Date(),
    };
    try {
      await InvoiceRecord.collection.insertOne(record as never);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  await indexByPickup(ctx, planned);
  ctx.messaging.relay.nudge(
    InvoiceRecord,
    planned.map((d) => d.invoiceId),
  );
}
