import type { DocumentLocks } from '@recycling/store';
import type { Models, RemanufacturerDoc } from './models';

export type RemanufacturerFields = Omit<RemanufacturerDoc, '_id'>;

/** Remanufacturers an administrator records: reference data that publishes nothing. */
export class RemanufacturerRepository {
  constructor(
    private readonly models: Pick<Models, 'Remanufacturer'>,
    private readonly locks: DocumentLocks,
  ) {}

  async find(remanufacturerId: string): Promise<RemanufacturerDoc | null> {
    return this.models.Remanufacturer.findById(remanufacturerId).lean();
  }

  /** Every remanufacturer of the city: a small collection (its enterprises), so it may be listed. */
  async list(): Promise<RemanufacturerDoc[]> {
    return this.models.Remanufacturer.find({}).sort({ _id: 1 }).limit(1000).lean();
  }

  /** Records the remanufacturer, or replaces its fields; `created` when it was new. */
  put(
    remanufacturerId: string,
    fields: RemanufacturerFields,
  ): Promise<{ remanufacturer: RemanufacturerDoc; created: boolean }> {
    return this.locks.withLock(`remanufacturer:${remanufacturerId}`, async () => {
      const existing = await this.models.Remanufacturer.findById(remanufacturerId);
      if (existing) {
        existing.set(fields);
        await existing.save();
        return { remanufacturer: existing.toObject(), created: false };
      }
      const created = await this.models.Remanufacturer.create({ _id: remanufacturerId, ...fields });
      return { remanufacturer: created.toObject(), created: true };
    });
  }
}
