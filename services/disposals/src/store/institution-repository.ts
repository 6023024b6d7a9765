import type { DocumentLocks } from '@recycling/store';
import type { InstitutionDoc, Models } from './models';

export type InstitutionFields = Omit<InstitutionDoc, '_id'>;

/** Public institutions an administrator records: reference data that publishes nothing. */
export class InstitutionRepository {
  constructor(
    private readonly models: Pick<Models, 'Institution'>,
    private readonly locks: DocumentLocks,
  ) {}

  async find(creditCode: string): Promise<InstitutionDoc | null> {
    return this.models.Institution.findById(creditCode).lean();
  }

  /** Every institution: the city's public institutions are a small collection, so it may be listed. */
  async list(): Promise<InstitutionDoc[]> {
    return this.models.Institution.find({}).sort({ _id: 1 }).limit(2000).lean();
  }

  put(
    creditCode: string,
    fields: InstitutionFields,
  ): Promise<{ institution: InstitutionDoc; created: boolean }> {
    return this.locks.withLock(`institution:${creditCode}`, async () => {
      const existing = await this.models.Institution.findById(creditCode);
      if (existing) {
        existing.set(fields);
        await existing.save();
        return { institution: existing.toObject(), created: false };
      }
      const created = await this.models.Institution.create({ _id: creditCode, ...fields });
      return { institution: created.toObject(), created: true };
    });
  }
}
