import type { Model } from 'mongoose';

// Small documents that list ids under one `_id` (a resident's pickups, a pickup's invoices), so a
// reader finds them by `_id` alone: FerretDB v1 answers only `_id` lookups from an index and reads
// the whole collection for any other filter (docs/conventions.md). Read them with `findByIds`.

interface IdListDoc {
  _id: string;
  updatedAt: Date;
}

/**
 * Adds `ids` to the list `field` of the document `_id` (created if need be). Idempotent. Callers
 * hold a lock on the document: FerretDB does not make the update atomic, so two writers could lose
 * one another's ids.
 */
export async function addToIdList<D extends IdListDoc>(
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
