import { DomainError } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, type RepositoryDeps } from '@recycling/store';
import type { DeclarationDoc, Models } from './models';

export const declarationNotFound = (declarationId: string) =>
  DomainError.notFound(
    'declaration-not-found',
    `未找到申报 ${declarationId} / Declaration ${declarationId} not found.`,
  );

/** A new revision of a declaration: its data, and the event that announces it. */
export interface DeclarationRevision {
  revision: number;
  data: Record<string, unknown>;
  event: PendingEvent;
}

/** Monthly declarations (`declarations`, `dec-<enterprise>-<period>`), written under their lock. */
export class DeclarationRepository extends AggregateRepository<DeclarationDoc, PendingEvent> {
  constructor(models: Pick<Models, 'Declaration'>, deps: RepositoryDeps) {
    super(models.Declaration, deps, { lockPrefix: 'declaration', notFound: declarationNotFound });
  }

  /**
   * Holds the declaration's lock while `decide` looks at the stored one (null if none) and answers
   * a new revision, or nothing to leave it as it is; the revision is saved with its event.
   */
  async revise(
    key: { declarationId: string; enterpriseId: string; period: string },
    preparedAt: Date,
    decide: (current: DeclarationDoc | null) => Promise<DeclarationRevision | undefined>,
  ): Promise<DeclarationRevision | undefined> {
    return this.withLock(key.declarationId, async () => {
      const existing = await this.model.findById(key.declarationId);
      const next = await decide(existing ? (existing.toObject() as DeclarationDoc) : null);
      if (!next) return undefined;
      const doc =
        existing ??
        new this.model({
          _id: key.declarationId,
          enterpriseId: key.enterpriseId,
          period: key.period,
          outbox: [],
          outboxUpdatedAt: null,
        });
      doc.revision = next.revision;
      doc.data = next.data;
      doc.preparedAt = preparedAt;
      doc.markModified('data');
      await this.saveLocked(doc, [next.event]);
      return next;
    });
  }

  /**
   * Declarations by enterprise and period, newest period first. A filter on other fields than
   * `_id`, on a collection that stays small (one document per enterprise and month).
   */
  async list(filter: { enterpriseId?: string; period?: string }, limit: number): Promise<DeclarationDoc[]> {
    const query: Record<string, string> = {};
    if (filter.enterpriseId) query.enterpriseId = filter.enterpriseId;
    if (filter.period) query.period = filter.period;
    return this.model
      .find(query, { data: 1, enterpriseId: 1 })
      .sort({ period: -1, enterpriseId: 1 })
      .limit(limit)
      .lean<DeclarationDoc[]>();
  }
}
