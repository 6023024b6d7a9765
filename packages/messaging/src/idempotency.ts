// Exactly-once effects on top of at-least-once delivery. The marker that says "this event was
// applied" lives in the document the event changes and is written by the same update, so there
// is no window in which the effect exists without its marker (FerretDB has no transactions).
import type { mongo } from 'mongoose';
import { isDuplicateKey } from '@recycling/store';
import type { MessagePosition } from './consumer-runner';

export type ApplyOutcome = 'applied' | 'duplicate';

/**
 * Applies `update` to the document matched by `filter` unless it already lists `eventId` in
 * `appliedEvents`. For documents that see a bounded number of events (one pickup, one invoice).
 * With `upsert`, `filter` must pin the document by a unique key (usually `_id`): a duplicate then
 * fails the insert with a duplicate-key error, which is read as "already applied".
 */
export async function applyOnceByEventId<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  filter: mongo.Filter<T>,
  eventId: string,
  update: mongo.UpdateFilter<T>,
  options: { upsert?: boolean } = {},
): Promise<ApplyOutcome> {
  const guarded = { ...filter, appliedEvents: { $ne: eventId } } as mongo.Filter<T>;
  const withMarker = {
    ...update,
    $push: { ...(update.$push ?? {}), appliedEvents: eventId },
  } as unknown as mongo.UpdateFilter<T>;
  try {
    const result = await collection.updateOne(guarded, withMarker, { upsert: options.upsert ?? false });
    return result.modifiedCount > 0 || result.upsertedCount > 0 ? 'applied' : 'duplicate';
  } catch (error) {
    if (options.upsert && isDuplicateKey(error)) return 'duplicate';
    throw error;
  }
}

/** Field name of a partition's watermark: dots would be read as paths, so they are replaced. */
export const watermarkField = (position: Pick<MessagePosition, 'topic' | 'partition'>) =>
  `watermarks.${position.topic.replace(/\./g, '_')}~${position.partition}`;

/**
 * Applies `update` only if this document has not yet seen an offset at or after this one on the
 * event's partition. For counters that many events change (rollups): the marker is one number per
 * partition instead of a growing list of ids. Offsets within a partition are processed in order,
 * so a redelivery after a crash or rebalance always carries an offset at or below the watermark.
 */
export async function applyOnceByOffset<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  filter: mongo.Filter<T>,
  position: MessagePosition,
  update: mongo.UpdateFilter<T>,
): Promise<ApplyOutcome> {
  const field = watermarkField(position);
  const offset = Number(position.offset);
  const guarded = {
    ...filter,
    $or: [{ [field]: { $lt: offset } }, { [field]: { $exists: false } }],
  } as mongo.Filter<T>;
  const withMarker = {
    ...update,
    $set: { ...(update.$set ?? {}), [field]: offset },
  } as unknown as mongo.UpdateFilter<T>;
  try {
    const result = await collection.updateOne(guarded, withMarker, { upsert: true });
    return result.modifiedCount > 0 || result.upsertedCount > 0 ? 'applied' : 'duplicate';
  } catch (error) {
    if (isDuplicateKey(error)) return 'duplicate';
    throw error;
  }
}
