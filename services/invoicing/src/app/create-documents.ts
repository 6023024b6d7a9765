import { InvoiceEventTypes } from '@recycling/contracts';
import type { PlannedDocument } from '../domain/decide-purchase';
import { numberClaimFor } from '../domain/ids';
import { formatInvoiceNo, invoiceYearOf, numberSequenceOf } from '../domain/invoice-number';
import { monthOf } from '../domain/months';
import type { PendingEvent } from '@recycling/messaging';
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
 * The number of one invoice dated `invoiceDate`: the next of the city's sequence for the date's year,
 * or the one the invoice already holds (a retry after a crash, a redelivery), so every number names
 * its invoice. For plans saved without numbers (before numbers were claimed per run).
 */
export async function invoiceNumberFor(
  ctx: InvoicingContext,
  invoiceDate: string,
  invoiceId: string,
): Promise<string> {
  const year = invoiceYearOf(invoiceDate, ctx.profile.timezone);
  return formatInvoiceNo(
    ctx.profile.code,
    year,
    await ctx.numbers.next(numberSequenceOf(ctx.profile.code, year), invoiceId),
  );
}

/**
 * Numbers the documents a run decided, before the plan is saved: one claim of the city's sequence
 * per year of the documents' dates (one claim, nearly always), its numbers given in plan order, so a
 * run's invoices are consecutive whoever issues them. The sequence is shared by every issuer of the
 * city, so two enterprises never issue the same number. The claim's holder is named after the
 * documents (`numberClaimFor`): the same run applied again holds the same numbers; a run that fails
 * before its plan is saved leaves its claim unused, never reused, and explained by its holder
 * (`numbers.explain(sequence)`). Reversals of invoices decided in the same run get the original's
 * number here.
 */
export async function numberDocuments(
  ctx: InvoicingContext,
  planned: readonly PlannedDocument[],
): Promise<PlanEntry[]> {
  const byYear = new Map<string, string[]>();
  for (const doc of planned) {
    if (doc.kind === 'refused') continue;
    const year = invoiceYearOf(doc.data.occurredAt, ctx.profile.timezone);
    const ids = byYear.get(year) ?? [];
    ids.push(doc.invoiceId);
    byYear.set(year, ids);
  }
  const numbers = new Map<string, string>();
  await Promise.all(
    [...byYear].map(async ([year, invoiceIds]) => {
      const sequence = numberSequenceOf(ctx.profile.code, year);
      const range = await ctx.numbers.take(sequence, numberClaimFor(sequence, invoiceIds), invoiceIds.length);
      if (range.last - range.first + 1 !== invoiceIds.length) {
        throw new Error(`the claim for ${invoiceIds.length} numbers of ${sequence} holds another count`);
      }
      invoiceIds.forEach((id, i) =>
        numbers.set(id, formatInvoiceNo(ctx.profile.code, year, range.first + i)),
      );
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
 * Creates the documents of a run's plan (numbered) in one bulk insert, lists the invoices under
 * their pickups, and stores their events in the run's outbox documents (`runId`, the plan's id),
 * then has the relay publish them. Safe to run again (`afterCrash`): documents that exist are skipped and keep the number
 * the plan gave them, and events are stored only where the run's outbox documents do not exist,
 * so every document has one event. The events are made from the plan as the documents are, so
 * they say what the documents say, whether or not these were created by an earlier attempt.
 */
export async function createPlannedDocuments(
  ctx: InvoicingContext,
  runId: string,
  planned: readonly PlanEntry[],
  options: { afterCrash: boolean },
): Promise<void> {
  if (planned.length === 0) return;
  const stored = options.afterCrash
    ? await ctx.invoices.existing(planned.map((d) => d.invoiceId))
    : new Set<string>();
  const now = ctx.now();
  const made = planned.map((doc) => {
    if (doc.kind !== 'refused' && !doc.invoiceNo)
      throw new Error(`${doc.invoiceId} of ${runId} has no number`);
    return recordOf(ctx, doc, doc.invoiceNo ?? null, now);
  });
  // Independent writes, each idempotent, at once (the store converts documents on both cores);
  // the relay is told of the events once the documents exist.
  const [, , outboxes] = await Promise.all([
    ctx.invoices.insertRecords(
      made.filter(({ record }) => !stored.has(record._id)).map(({ record }) => record),
    ),
    indexByPickup(ctx, planned),
    ctx.invoices.storeRunEvents(
      runId,
      made.map(({ event }) => event),
      now,
      options,
    ),
  ]);
  ctx.invoices.announceRunEvents(outboxes);
}

/**
 * Creates the documents of a plan a ledger kept inline (before plans had documents of their own),
 * each with its event in its own outbox. Safe to run again: documents that exist are skipped (read
 * first, so that a document is not given a second event), and a document gets the number it was
 * given by an earlier attempt (the number is held by the invoice's id).
 */
export async function createInlineDocuments(
  ctx: InvoicingContext,
  planned: readonly PlanEntry[],
): Promise<void> {
  if (planned.length === 0) return;
  const stored = await ctx.invoices.existing(planned.map((d) => d.invoiceId));
  const records: InvoiceRecordDoc[] = [];
  const now = ctx.now();
  for (const doc of planned) {
    if (stored.has(doc.invoiceId)) continue;
    const invoiceNo =
      doc.kind === 'refused'
        ? null
        : (doc.invoiceNo ?? (await invoiceNumberFor(ctx, doc.data.occurredAt, doc.invoiceId)));
    const { record, event } = recordOf(ctx, doc, invoiceNo, now);
    records.push({ ...record, outbox: [event], outboxUpdatedAt: now });
  }
  await ctx.invoices.insertAll(
    records,
    planned.map((d) => d.invoiceId),
  );
  await indexByPickup(ctx, planned);
}

/** A planned document as stored (without its event) and its event. */
function recordOf(
  ctx: InvoicingContext,
  doc: PlanEntry,
  invoiceNo: string | null,
  now: Date,
): { record: InvoiceRecordDoc; event: PendingEvent } {
  const data: Record<string, unknown> = doc.kind === 'refused' ? doc.data : { ...doc.data, invoiceNo };
  const event = ctx.events(eventTypeOf[doc.kind], data, { subject: doc.invoiceId });
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
    recordedAt: now,
    outbox: [],
    outboxUpdatedAt: null,
  };
  return { record, event };
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
