import type { DocumentLocks } from '@recycling/store';
import type { Enterprise } from '../domain/enterprise';
import type { EnterpriseDoc, Models } from './models';

const toEnterprise = (doc: EnterpriseDoc): Enterprise => ({
  enterpriseId: doc._id,
  name: doc.name,
  taxpayerId: doc.taxpayerId,
  qualification: doc.qualification ?? null,
  vatMethod: doc.vatMethod,
  status: doc.status,
  siteIds: doc.siteIds ?? [],
});

/**
 * The issuing enterprises: a small collection (the city's recycling enterprises), so listing may
 * read it whole (docs/conventions.md, reads on the store). Writes replace a record under its lock.
 */
export class EnterpriseRepository {
  constructor(
    private readonly models: Pick<Models, 'Enterprise'>,
    private readonly locks: DocumentLocks,
  ) {}

  /** Creates or replaces the record; true when it was new. */
  async put(enterprise: Enterprise, now: Date): Promise<boolean> {
    const { enterpriseId, ...fields } = enterprise;
    const result = await this.locks.withLock(`enterprise:${enterpriseId}`, () =>
      this.models.Enterprise.replaceOne(
        { _id: enterpriseId },
        { ...fields, updatedAt: now },
        { upsert: true },
      ),
    );
    return result.upsertedCount > 0;
  }

  async find(enterpriseId: string): Promise<Enterprise | undefined> {
    const doc = await this.models.Enterprise.findById(enterpriseId).lean<EnterpriseDoc>();
    return doc ? toEnterprise(doc) : undefined;
  }

  async list(): Promise<Enterprise[]> {
    const docs = await this.models.Enterprise.find().sort({ _id: 1 }).lean<EnterpriseDoc[]>();
    return docs.map(toEnterprise);
  }
}
