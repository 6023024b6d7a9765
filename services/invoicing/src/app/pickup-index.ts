import type { PlannedDocument } from '../domain/decide-purchase';
import { addToIdList } from '../store/id-index';
import type { AppContext } from './context';

/**
 * Lists the invoices and red-letter invoices of each pickup among the planned documents under the
 * pickup (`pickup_invoices`), where a resident's read finds them by `_id`. Runs after the documents
 * are inserted and before the ledger's plan is cleared, so a crash in between is repaired when the
 * plan is carried out again. Refusals are not listed: residents see invoices.
 */
export async function indexByPickup(ctx: AppContext, planned: readonly PlannedDocument[]): Promise<void> {
  const byPickup = new Map<string, string[]>();
  for (const doc of planned) {
    if (!doc.pickupId || doc.kind === 'refused') continue;
    byPickup.set(doc.pickupId, [...(byPickup.get(doc.pickupId) ?? []), doc.invoiceId]);
  }
  for (const [pickupId, invoiceIds] of byPickup) {
    // Purchases of several sellers may name one pickup (a desk's mistake), on other partitions.
    await ctx.messaging.locks.withLock(`pickup-invoices:${pickupId}`, () =>
      addToIdList(ctx.models.PickupInvoices, pickupId, 'invoiceIds', invoiceIds),
    );
  }
}
