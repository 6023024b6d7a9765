import type { DocumentLocks } from '@recycling/store';
import type { PickupModels, SiteDoc } from './models';

/**
 * The site directory: a small collection (a city's stations and dismantlers), so its filters may
 * read it whole (docs/conventions.md, reads on the store). Writes are upserts under the site's lock.
 */
export class SiteRepository {
  constructor(
    private readonly models: Pick<PickupModels, 'Site'>,
    private readonly locks: DocumentLocks,
  ) {}

  /** Registers or replaces a site; true when it was new. */
  async put(doc: SiteDoc): Promise<boolean> {
    const result = await this.locks.withLock(`site:${doc._id}`, () =>
      this.models.Site.replaceOne({ _id: doc._id }, doc, { upsert: true }),
    );
    return result.upsertedCount > 0;
  }

  async list(filter: { kind?: string; districtCode?: string; active?: boolean }): Promise<SiteDoc[]> {
    const query: Record<string, unknown> = {};
    if (filter.kind) query.kind = filter.kind;
    if (filter.districtCode) query.districts = filter.districtCode;
    if (filter.active !== undefined) query.active = filter.active;
    return (await this.models.Site.find(query).sort({ _id: 1 }).lean()) as SiteDoc[];
  }
}
