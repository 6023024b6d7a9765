import { findByIds, type DocumentLocks } from '@recycling/store';
import type { mongo } from 'mongoose';
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

export interface EnterpriseRepositoryOptions {
  /** How long a record read for the purchases consumer is trusted (default 5 s). */
  cacheTtlMs?: number;
}

/**
 * The issuing enterprises: a small collection (the city's recycling enterprises), so listing may
 * read it whole (docs/conventions.md, reads on the store). Writes replace a record under its lock.
 *
 * The purchases consumer reads them through `lookup`, a cache: every purchase names its buyer, and
 * a run of purchases names a handful of enterprises. The rule: an entry (a record, or the fact
 * that there is none) is trusted for `cacheTtlMs` (5 s) after it was read, and a change made
 * through this process (`put`) removes it at once, also when a read of the old record was still in
 * flight (`generation`). A change served by another replica is therefore seen here within 5 s: for
 * that long after an administrator suspends, qualifies or registers an enterprise on another
 * replica, purchases may still be decided by the record as it was. HTTP reads (`find`, `list`) are
 * not cached.
 */
export class EnterpriseRepository {
  private readonly cache = new Map<string, { enterprise: Enterprise | undefined; until: number }>();
  /** Bumped by every change: a read that began before it does not fill the cache. */
  private generation = 0;

  constructor(
    private readonly models: Pick<Models, 'Enterprise'>,
    private readonly locks: DocumentLocks,
    private readonly options: EnterpriseRepositoryOptions = {},
  ) {}

  /** Creates or replaces the record; true when it was new. */
  async put(enterprise: Enterprise, now: Date): Promise<boolean> {
    const { enterpriseId, ...fields } = enterprise;
    try {
      const result = await this.locks.withLock(`enterprise:${enterpriseId}`, () =>
        this.models.Enterprise.replaceOne(
          { _id: enterpriseId },
          { ...fields, updatedAt: now },
          { upsert: true },
        ),
      );
      return result.upsertedCount > 0;
    } finally {
      this.generation += 1;
      this.cache.delete(enterpriseId);
    }
  }

  async find(enterpriseId: string): Promise<Enterprise | undefined> {
    const doc = await this.models.Enterprise.findById(enterpriseId).lean<EnterpriseDoc>();
    return doc ? toEnterprise(doc) : undefined;
  }

  /** These enterprises (undefined where none is registered), through the cache described above. */
  async lookup(enterpriseIds: readonly string[]): Promise<Map<string, Enterprise | undefined>> {
    const now = Date.now();
    const found = new Map<string, Enterprise | undefined>();
    const missing: string[] = [];
    for (const id of new Set(enterpriseIds)) {
      const entry = this.cache.get(id);
      if (entry && entry.until > now) found.set(id, entry.enterprise);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const collection = this.models.Enterprise.collection as unknown as mongo.Collection<EnterpriseDoc>;
    const docs = new Map((await findByIds(collection, missing)).map((d) => [d._id, toEnterprise(d)]));
    for (const id of missing) {
      const enterprise = docs.get(id);
      found.set(id, enterprise);
      if (generation === this.generation) {
        this.cache.set(id, { enterprise, until: now + (this.options.cacheTtlMs ?? 5_000) });
      }
    }
    return found;
  }

  async list(): Promise<Enterprise[]> {
    const docs = await this.models.Enterprise.find().sort({ _id: 1 }).lean<EnterpriseDoc[]>();
    return docs.map(toEnterprise);
  }
}
