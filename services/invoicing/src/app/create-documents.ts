import { InvoiceEventTypes } from '@recycling/contracts';
import type { PlannedDocument } from '../domain/decide-purchase';
import { numberClaimFor } from '../domain/ids';
import { formatInvoiceNo } from '../domain/invoice-number';
import { monthOf } from '../domain/months';
import type { InvoiceRecordDoc, PlanEntry } from '../store/models';
import type { InvoicingContext } from './context';

const eventTypeOf: Record<PlannedDocument['kind'], string> = {
  issued: InvoiceEventTypes.issued,
  reversed: InvoiceEventTypes.reversed,
  refused: InvoiceEventTypes.refused,
};

/**
 * What a reversal decided in a run carries as `originalInvoiceNo` when the invoice it reverses was
 * decided in the same run and has no number yet; `numberDocuments` puts the number in its place.
 */
export const unnumbered = (invoiceId: string): string => `unnumbered:${invoiceId}`;

/**
 * The issuer's number for one invoice: the next of the issuer's sequence, or the one the invoice
 * already holds (a retry after a crash, a redelivery), so every number names its invoice. For plans
 * saved without numbers (before numbers were claimed per run).
 */
export async function invoiceNumberFor(
  ctx: InvoicingContext,
  issuerId: string,
  invoiceId: string,
): Promise<string> {
  return formatInvoiceNo(ctx.profile.code, await ctx.numbers.next(issuerId, invoiceId));
}

/**
 * Numbers the documents a run decided, before the plan is saved: one claim per issuer (`take`, a
 * few round trips), its numbers given in plan order, so an issuer's invoices of a run are
 * consecutive. The claim's holder is named after the documents (`numberClaimFor`): the same run
 * applied again holds the same numbers; a run that fails before its plan is saved leaves its claim
 * unused, never reused, and explained by its holder (`numbers.explain(issuer)`). Reversals of
 * invoices decided in the same run get the original's number here.
 */
export async function numberDocuments(
  ctx: InvoicingContext,
  planned: readonly PlannedDocument[],
): Promise<PlanEntry[]> {
  const byIssuer = new Map<string, string[]>();
  for (const doc of planned) {
    if (doc.kind === 'refused') continue;
    const ids = byIssuer.get(doc.issuerId) ?? [];
    ids.push(doc.invoiceId);
    byIssuer.set(doc.issuerId, ids);
  }
  const numbers = new Map<string, string>();
  await Promise.all(
    [...byIssuer].map(async ([issuerId, invoiceIds]) => {
      const range = await ctx.numbers.take(issuerId, numberClaimFor(issuerId, invoiceIds), invoiceIds.length);
      if (range.last - range.first + 1 !== invoiceIds.length) {
        throw new Error(`the claim for ${invoiceIds.length} numbers of ${issuerId} holds another count`);
      }
      invoiceIds.forEach((id, i) => numbers.set(id, formatInvoiceNo(ctx.profile.code, range.first + i)));
    }),
  );
  return planned.map((doc): PlanEntry => {
    if (doc.kind === 'refused') return doc;
    const invoiceNo = numbers.get(doc.invoiceId)!;
    if (doc.kind === 'reversed' && doc.data.originalInvoiceNo === unnumbered(doc.data.originalInvoiceId)) {
      const originalInvoiceNo = numbers.get(doc.data.originalInvoiceId);
      if (!originalInvoiceNo) throw new Error(`no number for ${doc.data.originalInvoiceId} in its run`);
      return { ...doc, data: { ...doc.data, originalInvoiceNo }, invoiceNo };
    }
    return { ...doc, invoiceNo };
  });
}

/**
 * Creates the planned documents, each with its event in its outbox, in one bulk insert, then lists
 * the invoices under their pickups. Safe to run again: documents that exist are skipped (`afterCrash`
 * reads which exist first, so that a document is not given a second event), an invoice keeps the
 * number its plan holds, and a plan saved without numbers gets the numbers its invoices hold.
 */
export async function createDocuments(
  ctx: InvoicingContext,
  planned: readonly PlanEntry[],
  options: { afterCrash: boolean },
): Promise<void> {
  if (planned.length === 0) return;
  const stored = options.afterCrash
    ? await ctx.invoices.existing(planned.map((d) => d.invoiceId))
    : new Set<string>();
  const records: InvoiceRecordDoc[] = [];
  const now = ctx.now();
  for (const doc of planned) {
    if (stored.has(doc.invoiceId)) continue;
    let invoiceNo: string | null = null;
    let data: Record<string, unknown> = doc.data;
    if (doc.kind !== 'refused') {
      invoiceNo = doc.invoiceNo ?? (await invoiceNumberFor(ctx, doc.issuerId, doc.invoiceId));
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
      recordedAt: now,
      outbox: [event],
      outboxUpdatedAt: now,
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
async function indexByPickup(ctx: InvoicingContext, planned: readonly PlanEntry[]): Promise<void> {
  const byPickup = new Map<string, string[]>();
  for (const doc of planned) {
    if (!doc.pickupId || doc.kind === 'refused') continue;
    byPickup.set(doc.pickupId, [...(byPickup.get(doc.pickupId) ?? []), doc.invoiceId]);
  }
  // Purchases of several sellers may name one pickup (a desk's mistake), on other partitions.
  if (byPickup.size > 0) await ctx.pickupIndex.addInvoicesOfPickups(byPickup);
}
