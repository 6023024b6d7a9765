import type { DocumentLocks } from '@recycling/store';
import { findByIds } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { EvidenceDoc } from './models';

// Evidence from the network's events, each under the `_id` a claim names (certificate number, VIN,
// sale id), so a claim finds it by `_id` whichever came first. Written only by the evidence consumer,
// once per event id, under a lock per key (two partitions could name one key: an intake naming a sale).

const MAX_EVENT_IDS = 50;

export class EvidenceStore {
  constructor(
    private readonly evidence: mongo.Collection<EvidenceDoc>,
    private readonly locks: DocumentLocks,
    private readonly now: () => Date,
  ) {}

  async get<T>(key: string): Promise<T | null> {
    const doc = await this.evidence.findOne({ _id: key });
    return (doc?.data as T | undefined) ?? null;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, unknown>> {
    const docs = await findByIds(this.evidence, keys);
    return new Map(docs.map((d) => [d._id, d.data]));
  }

  /** Changes the evidence under `key` once per event id; answers whether it did. */
  async record<T extends object>(
    key: string,
    kind: string,
    eventId: string,
    change: (current: T | null) => T,
  ): Promise<boolean> {
    return this.locks.withLock(`evidence:${key}`, async () => {
      const doc = await this.evidence.findOne({ _id: key });
      if (doc?.eventIds.includes(eventId)) return false;
      const data = change((doc?.data as T | undefined) ?? null);
      await this.evidence.replaceOne(
        { _id: key },
        {
          kind,
          data: data as Record<string, unknown>,
          eventIds: [...(doc?.eventIds ?? []), eventId].slice(-MAX_EVENT_IDS),
          updatedAt: this.now(),
        },
        { upsert: true },
      );
      return true;
    });
  }
}
