import { findByIds, type DocumentLocks } from '@recycling/store';
import type { Model, mongo } from 'mongoose';
import type { Models } from './models';

// Small documents that list ids under one `_id` (a resident's pickups, a pickup's invoices), so a
// reader finds them by `_id` alone: FerretDB v1 answers only `_id` lookups from an index and reads
// the whole collection for any other filter (docs/conventions.md).

interface IdListDoc {
  _id: string;
  updatedAt: Date;
}

/**
 * The lists that answer "my invoices" by `_id` reads only: `resident_pickups` (resident key →
 * pickup ids, from the pickups topic) and `pickup_invoices` (pickup id → invoice ids, written with
 * the invoices). Both only ever gain ids, each under its document's lock (a resident's pickups, and
 * a pickup's purchases, arrive on several partitions), so redeliveries and replays change nothing.
 */
export class PickupIndexRepository {
  constructor(
    private readonly models: Pick<Models, 'ResidentPickups' | 'PickupInvoices'>,
    private readonly locks: DocumentLocks,
  ) {}

  /** Notes that the resident booked these pickups. */
  addPickups(residentKey: string, pickupIds: readonly string[]): Promise<void> {
    return this.locks.withLock(`resident-pickups:${residentKey}`, () =>
      addToIdList(this.models.ResidentPickups, residentKey, 'pickupIds', pickupIds),
    );
  }

  /** Notes that these invoices came through the pickup. */
  addInvoices(pickupId: string, invoiceIds: readonly string[]): Promise<void> {
    return this.locks.withLock(`pickup-invoices:${pickupId}`, () =>
      addToIdList(this.models.PickupInvoices, pickupId, 'invoiceIds', invoiceIds),
    );
  }

  /** The last `limit` pickups the resident booked. */
  async pickupsOf(residentKey: string, limit: number): Promise<string[]> {
    const doc = await this.models.ResidentPickups.findById(residentKey, { pickupIds: 1 }).lean();
    return (doc?.pickupIds ?? []).slice(-limit);
  }

  /** The invoice ids listed under these pickups, the last `limit` of them. */
  async invoicesOf(pickupIds: readonly string[], limit: number): Promise<string[]> {
    const collection = this.models.PickupInvoices.collection as unknown as mongo.Collection<{
      _id: string;
      invoiceIds: string[];
    }>;
    const lists = await findByIds(collection, pickupIds, { invoiceIds: 1 });
    return lists.flatMap((l) => l.invoiceIds).slice(-limit);
  }
}

/** Adds `ids` to the list `field` of the document `_id` (created if need be). Idempotent. */
async function addToIdList<D extends IdListDoc>(
  model: Model<D>,
  id: string,
  field: 'pickupIds' | 'invoiceIds',
  ids: readonly string[],
): Promise<void> {
  const current = await model.findById(id, { [field]: 1 }).lean<Record<string, string[] | undefined>>();
  const known = new Set(current?.[field] ?? []);
  const missing = ids.filter((x) => !known.has(x));
  if (current && missing.length === 0) return;
  await model.updateOne(
    { _id: id },
    { $set: { [field]: [...known, ...new Set(missing)], updatedAt: new Date() } },
    { upsert: true },
  );
}
