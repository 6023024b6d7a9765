// Claims by unique insert: the way to make something unique (a seat, a VIN, a number, a subsidy
// quota) that holds across replicas and under races, on FerretDB v1 as on MongoDB. An update that
// checks a condition would not do: FerretDB applies updates as read-modify-write (decision 8).
import type { mongo } from 'mongoose';
import { isDuplicateId } from './duplicate-key';

export type ClaimOutcome<T> = { claimed: true; doc: T } | { claimed: false; holder: T | null };

/**
 * Inserts `doc`; if its `_id` is taken, answers the document that holds it (read by `_id`). The
 * holder can be null when it was released between the insert and the read.
 */
export async function claim<T extends { _id: string }>(
  collection: mongo.Collection<T>,
  doc: T,
): Promise<ClaimOutcome<T>> {
  try {
    await collection.insertOne(doc as mongo.OptionalUnlessRequiredId<T>);
    return { claimed: true, doc };
  } catch (error) {
    if (!isDuplicateId(error)) throw error;
  }
  const holder = (await collection.findOne({ _id: doc._id } as mongo.Filter<T>)) as T | null;
  return { claimed: false, holder };
}

/**
 * Inserts `doc` unless its `_id` exists: true when inserted, false when it was already there. For
 * effects that must happen once (a marker, an index entry), where the existing one is as good.
 */
export async function insertOnce<T extends { _id: string }>(
  collection: mongo.Collection<T>,
  doc: T,
): Promise<boolean> {
  try {
    await collection.insertOne(doc as mongo.OptionalUnlessRequiredId<T>);
    return true;
  } catch (error) {
    if (isDuplicateId(error)) return false;
    throw error;
  }
}

/**
 * Inserts many documents at once, skipping those whose `_id` exists (unordered, so one duplicate
 * does not stop the rest). Returns the ids that were new. One round trip instead of one per
 * document: the store takes bulk inserts about twenty times faster than single ones.
 */
export async function insertManyOnce<T extends { _id: string }>(
  collection: mongo.Collection<T>,
  docs: readonly T[],
): Promise<Set<string>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
    return new Set(docs.map((d) => d._id));
  } catch (error) {
    const e = error as { writeErrors?: Array<{ code?: number; index?: number; err?: { index?: number } }> };
    const failures = Array.isArray(e.writeErrors) ? e.writeErrors : undefined;
    if (!failures || failures.some((w) => w.code !== 11000)) throw error;
    const refused = new Set(failures.map((w) => w.index ?? w.err?.index));
    return new Set(docs.filter((_, i) => !refused.has(i)).map((d) => d._id));
  }
}
