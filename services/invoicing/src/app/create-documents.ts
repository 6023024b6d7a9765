import { InvoiceEventTypes } from '@recycling/contracts';
import type { PlannedDocument } from '../domain/decide-purchase';
import { formatInvoiceNo } from '../domain/invoice-number';
import { monthOf } from '../domain/months';
import type { InvoiceRecordDoc } from '../store/models';
import type { InvoicingContext } from './context';

const eventTypeOf: Record<PlannedDocument['kind'], string> = {
  issued: InvoiceEventTypes.issued,
  reversed: InvoiceEventTypes.reversed,
  refused: InvoiceEventTypes.refused,
};

/**
 * The issuer's number for the invoice: the next of the issuer's sequence, or the one the invoice
 * already holds (a retry after a crash, a redelivery), so every number names its invoice.
 */
export async function invoiceNumberFor(
  ctx: InvoicingContext,
  issuerId: string,
  invoiceId: string,
): Promise<string> {
  return formatInvoiceNo(ctx.profile.code, await ctx.numbers.next(issuerId, invoiceId));
}

/**
 * Creates the planned documents, each with its event in its outbox, numbered in plan order. Safe to
 * run again after a crash: documents that exist are skipped, and a number already claimed for an
 * invoice is the one it gets again. Then lists the invoices under their pickups.
 */
export async function createDocuments(
  ctx: InvoicingContext,
  planned: readonly PlannedDocument[],
): Promise<void> {
  const stored = await ctx.invoices.existing(planned.map((d) => d.invoiceId));
  const records: InvoiceRecordDoc[] = [];
  for (const doc of planned) {
    if (stored.has(doc.invoiceId)) continue;
    let invoiceNo: string | null = null;
    let data: Record<string, unknown> = doc.data;
    if (doc.kind !== 'refused') {
      invoiceNo = await invoiceNumberFor(ctx, doc.issuerId, doc.invoiceId);
      data = { ...doc.data, invoiceNo };
    }
    const event = ctx.events(eventTypeOf[doc.kind], data, { subject: doc.invoiceId });
    records.push({
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
      recordedAt: ctx.now(),
      outbox: [event],
      outboxUpdatedAt: ctx.now(),
    });
  }
  await ctx.invoices.insertAll(
    records,
    planned.map((d) => d.invoiceId),
  );
  await indexByPickup(ctx, planned);
}

/**
 * Lists the invoices and red-letter invoices of each pickup among the planned documents under the
 * pickup, where a resident's read finds them by `_id`. Runs after the documents are inserted and
 * before the ledger's plan is cleared, so a crash in between is repaired when the plan is carried
 * out again. Refusals are not listed: residents see invoices.
 */
async function indexByPickup(ctx: InvoicingContext, planned: readonly PlannedDocument[]): Promise<void> {
  const byPickup = new Map<string, string[]>();
  for (const doc of planned) {
    if (!doc.pickupId || doc.kind === 'refused') continue;
    byPickup.set(doc.pickupId, [...(byPickup.get(doc.pickupId) ?? []), doc.invoiceId]);
  }
  // Purchases of several sellers may name one pickup (a desk's mistake), on other partitions.
  for (const [pickupId, invoiceIds] of byPickup) await ctx.pickupIndex.addInvoices(pickupId, invoiceIds);
}
