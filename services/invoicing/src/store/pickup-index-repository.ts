import { findByIds, insertManyOnce, insertOnce, type DocumentLocks } from '@recycling/store';
import type { Model, mongo } from 'mongoose';
import type { Models, PickupInvoicesDoc } from './models';

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
 * the invoices). Both only ever gain ids, so redeliveries and replays change nothing. A list is
 * created by an insert (atomic under its `_id`, so no lock is needed and a run creates all its new
 * lists in one command) and changed afterwards only under its document's lock (a resident's
 * pickups, and a pickup's purchases, arrive on several partitions).
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

  /**
   * Notes the invoices of many pickups: the lists that do not exist yet are created with one bulk
   * insert (a pickup's first invoices: nearly always), the others are added to under their locks.
   */
  async addInvoicesOfPickups(lists: ReadonlyMap<string, readonly string[]>): Promise<void> {
    const now = new Date();
    const collection = this.models.PickupInvoices
      .collection as unknown as mongo.Collection<PickupInvoicesDoc>;
    const created = await insertManyOnce(
      collection,
      [...lists].map(([pickupId, invoiceIds]) => ({
        _id: pickupId,
        invoiceIds: [...new Set(invoiceIds)],
        updatedAt: now,
      })),
    );
    const existing = [...lists].filter(([pickupId]) => !created.has(pickupId));
    for (let i = 0; i < existing.length; i += IN_FLIGHT) {
      await Promise.all(
        existing
          .slice(i, i + IN_FLIGHT)
          .map(([pickupId, invoiceIds]) => this.addInvoices(pickupId, invoiceIds)),
      );
    }
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

/** Lists added to at once by `addInvoicesOfPickups` (each a lock, a read and a write). */
const IN_FLIGHT = 8;

/**
 * Adds `ids` to the list `field` of the document `_id`, under its lock. Idempotent. A list that does
 * not exist is created by an insert, never by an upsert: a bulk insert of new lists takes no lock,
 * and an upsert after a read that found nothing would overwrite a list inserted meanwhile.
 */
async function addToIdList<D extends IdListDoc>(
  model: Model<D>,
  id: string,
  field: 'pickupIds' | 'invoiceIds',
  ids: readonly string[],
): Promise<void> {
  for (;;) {
    const current = await model.findById(id, { [field]: 1 }).lean<Record<string, string[] | undefined>>();
    if (!current) {
      const collection = model.collection as unknown as mongo.Collection<IdListDoc>;
      const doc = { _id: id, [field]: [...new Set(ids)], updatedAt: new Date() };
      if (await insertOnce(collection, doc)) return;
      continue; // created meanwhile by a bulk insert: add to it
    }
    const known = new Set(current[field] ?? []);
    const missing = ids.filter((x) => !known.has(x));
    if (missing.length === 0) return;
    await model.updateOne(
      { _id: id },
      { $set: { [field]: [...known, ...new Set(missing)], updatedAt: new Date() } },
    );
    return;
  }
}
