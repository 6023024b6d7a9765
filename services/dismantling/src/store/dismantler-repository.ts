import type { DocumentLocks } from '@recycling/store';
import type { DismantlerDoc, Models } from './models';

export type DismantlerFields = Omit<DismantlerDoc, '_id' | 'createdAt' | 'updatedAt'>;

/**
 * The sites an administrator records: reference data that publishes nothing (the vehicle events
 * carry the site and enterprise ids), so a plain write under the site's lock is enough.
 */
export class DismantlerRepository {
  constructor(
    private readonly models: Pick<Models, 'Dismantler'>,
    private readonly locks: DocumentLocks,
  ) {}

  async find(dismantlerId: string): Promise<DismantlerDoc | null> {
    return this.models.Dismantler.findById(dismantlerId).lean();
  }

  async exists(dismantlerId: string): Promise<boolean> {
    return (await this.models.Dismantler.exists({ _id: dismantlerId })) !== null;
  }

  /** Records the site, or replaces its fields; `created` when it was new. */
  put(
    dismantlerId: string,
    fields: DismantlerFields,
  ): Promise<{ dismantler: DismantlerDoc; created: boolean }> {
    return this.locks.withLock(`dismantler:${dismantlerId}`, async () => {
      const existing = await this.models.Dismantler.findById(dismantlerId);
      if (existing) {
        existing.set({ ...fields, qualificationValidUntil: fields.qualificationValidUntil ?? undefined });
        await existing.save();
        return { dismantler: existing.toObject(), created: false };
      }
      const created = await this.models.Dismantler.create({ _id: dismantlerId, ...fields });
      return { dismantler: created.toObject(), created: true };
    });
  }
}
