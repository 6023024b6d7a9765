import type { InvoiceIssuedData } from '@recycling/contracts';
import { findByIds } from '@recycling/store';
import { decidePurchase, type ActiveInvoice, type PurchaseRevision } from '../domain/decide-purchase';
import type { Enterprise } from '../domain/enterprise';
import type { mongo } from 'mongoose';
import type { InvoiceRecordDoc, LedgerDoc } from '../store/models';
import type { AppContext } from './context';
import { createDocuments } from './create-documents';
import { toEnterprise } from './enterprises';

export type PurchaseOutcome = 'issued' | 'refused' | 'withdrawn' | 'duplicate';

const monthlySales = (active: readonly ActiveInvoice[]): Record<string, number> => {
  const months: Record<string, number> = {};
  for (const a of active) months[a.period] = (months[a.period] ?? 0) + a.amountFen;
  return months;
};

/**
 * Decides and records one purchase revision for its seller. Exactly once: the ledger records the
 * revision as applied in the same write as the new totals and the planned documents; the documents
 * are then created idempotently (and again, first thing, by the next call if this one crashed).
 */
export async function processPurchase(ctx: AppContext, purchase: PurchaseRevision): Promise<PurchaseOutcome> {
  const sellerKey = purchase.seller.sellerKey;
  return ctx.messaging.locks.withLock(`ledger:${sellerKey}`, async () => {
    const { Ledger, InvoiceRecord, Enterprise } = ctx.models;
    let ledger = await Ledger.findById(sellerKey).lean<LedgerDoc>();
    if (ledger && ledger.pending.length > 0) {
      await createDocuments(ctx, ledger.pending);
      await Ledger.updateOne({ _id: sellerKey }, { $set: { pending: [], updatedAt: new Date() } });
      ledger = { ...ledger, pending: [] };
    }
    const applied = ledger?.applied.find((a) => a.purchaseId === purchase.purchaseId);
    if (applied && applied.revision >= purchase.revision) return 'duplicate';

    const active = ledger?.active ?? [];
    // One _id read each: FerretDB scans the whole collection for an $in (see findByIds).
    const records = await findByIds(
      InvoiceRecord.collection as unknown as mongo.Collection<InvoiceRecordDoc>,
      active.map((a) => a.invoiceId),
      { data: 1, purchaseId: 1, pickupId: 1 },
    );
    const invoices = new Map(records.map((r) => [r._id, r.data as unknown as InvoiceIssuedData]));
    const pickupIds = new Map(
      records.flatMap((r) => (r.pickupId ? [[r.purchaseId, r.pickupId] as const] : [])),
    );
    const enterpriseDoc = await Enterprise.findById(purchase.buyerId).lean();
    const enterprise: Enterprise | undefined = enterpriseDoc ? toEnterprise(enterpriseDoc) : undefined;

    const decision = decidePurchase({
      purchase,
      active,
      invoices,
      enterprise,
      rules: ctx.profile.tax.reverseInvoicing,
      timeZone: ctx.profile.timezone,
      pickupIds,
    });

    const appliedNext = [
      ...(ledger?.applied ?? []).filter((a) => a.purchaseId !== purchase.purchaseId),
      { purchaseId: purchase.purchaseId, revision: purchase.revision },
    ];
    await Ledger.updateOne(
      { _id: sellerKey },
      {
        $set: {
          active: decision.active,
          monthlySalesFen: monthlySales(decision.active),
          applied: appliedNext,
          pending: decision.documents,
          updatedAt: new Date(),
        },
      },
      { upsert: true },
    );
    await createDocuments(ctx, decision.documents);
    await Ledger.updateOne({ _id: sellerKey }, { $set: { pending: [], updatedAt: new Date() } });
    ctx.logger.info(
      {
        purchaseId: purchase.purchaseId,
        revision: purchase.revision,
        outcome: decision.outcome,
        documents: decision.documents.map((d) => d.kind),
      },
      'purchase decided',
    );
    return decision.outcome;
  });
}
