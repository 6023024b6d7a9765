import type { InvoiceIssuedData } from '@recycling/contracts';
import { decidePurchase, type PurchaseRevision } from '../domain/decide-purchase';
import type { InvoicingContext } from './context';
import { createDocuments } from './create-documents';

export type PurchaseOutcome = 'issued' | 'refused' | 'withdrawn' | 'duplicate';

/**
 * Decides and records one purchase revision for its seller. Exactly once: the ledger records the
 * revision as applied in the same write as the new totals and the planned documents; the documents
 * are then created idempotently (and again, first thing, by the next call if this one crashed).
 */
export async function processPurchase(
  ctx: InvoicingContext,
  purchase: PurchaseRevision,
): Promise<PurchaseOutcome> {
  return ctx.ledgers.session(purchase.seller.sellerKey, async ({ ledger, save, clearPlan }) => {
    if (ledger && ledger.pending.length > 0) {
      await createDocuments(ctx, ledger.pending);
      await clearPlan();
    }
    const applied = ledger?.applied.find((a) => a.purchaseId === purchase.purchaseId);
    if (applied && applied.revision >= purchase.revision) return 'duplicate';

    const active = ledger?.active ?? [];
    const records = await ctx.invoices.findMany(
      active.map((a) => a.invoiceId),
      { data: 1, purchaseId: 1, pickupId: 1 },
    );
    const invoices = new Map(records.map((r) => [r._id, r.data as unknown as InvoiceIssuedData]));
    const pickupIds = new Map(
      records.flatMap((r) => (r.pickupId ? [[r.purchaseId, r.pickupId] as const] : [])),
    );
    const decision = decidePurchase({
      purchase,
      active,
      invoices,
      enterprise: await ctx.enterprises.find(purchase.buyerId),
      rules: ctx.profile.tax.reverseInvoicing,
      timeZone: ctx.profile.timezone,
      pickupIds,
    });

    await save({
      active: decision.active,
      applied: [
        ...(ledger?.applied ?? []).filter((a) => a.purchaseId !== purchase.purchaseId),
        { purchaseId: purchase.purchaseId, revision: purchase.revision },
      ],
      pending: decision.documents,
    });
    await createDocuments(ctx, decision.documents);
    await clearPlan();
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
