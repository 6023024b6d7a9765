import { DomainError } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, type RepositoryDeps } from '@recycling/store';
import type { BatchDoc, SortingModels } from './models';

export const batchNotFound = (batchId: string) =>
  DomainError.notFound('batch-not-found', `没有该批次 / No batch ${batchId}`);

/** A batch as a use case builds it; the repository adds its outbox. */
export type NewBatch = Omit<BatchDoc, 'outbox' | 'outboxUpdatedAt'>;

/**
 * Dispatch batches: each its own document with its outbox. What has left the station is read back
 * from the batches, so a dispatch writes no intake and no two-document update can half-fail.
 */
export class BatchRepository extends AggregateRepository<BatchDoc, PendingEvent> {
  constructor(models: Pick<SortingModels, 'Batch'>, deps: RepositoryDeps) {
    super(models.Batch, deps, { lockPrefix: 'batch', notFound: batchNotFound });
  }

  /**
   * Dispatches of one station take turns (`dispatch:<stationId>`): `make` reads what is left to
   * dispatch and builds the batch, which is inserted with its events before the next one reads, so
   * two batches cannot take the same units.
   */
  async dispatch(
    stationId: string,
    make: () => Promise<{ batch: NewBatch; events: PendingEvent[] }>,
  ): Promise<BatchDoc> {
    return this.deps.locks.withLock(`dispatch:${stationId}`, async () => {
      const { batch, events } = await make();
      if (!(await this.create(batch, events))) throw new Error(`batch id ${batch._id} is taken`);
      return this.get(batch._id);
    });
  }

  /**
   * The batches that name any of these intakes. A filter on `items.intakeId`: indexed on MongoDB;
   * FerretDB reads the collection (docs/conventions.md, reads on the store), as before the kit.
   */
  async naming(intakeIds: readonly string[]): Promise<BatchDoc[]> {
    return (await this.model.find({ 'items.intakeId': { $in: [...intakeIds] } }).lean()) as BatchDoc[];
  }

  /** A station's latest batches: indexed on MongoDB; FerretDB reads the collection (an operator's listing). */
  async latestAt(stationId: string, limit: number): Promise<BatchDoc[]> {
    return (await this.model
      .find({ stationId })
      .sort({ dispatchedAt: -1 })
      .limit(limit)
      .lean()) as BatchDoc[];
  }
}
