import { DomainError } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, claim, type DocumentLocks, type RepositoryDeps } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { AssetClaimDoc, BatchDoc, BatchListDoc, CertificateClaimDoc, Models } from './models';

export const batchNotFound = (batchId: string) =>
  DomainError.notFound('batch-not-found', `未找到处置批次 ${batchId} / Disposal batch ${batchId} not found.`);

/**
 * Disposal batches: created by insert with their registration event, changed under their lock with
 * their events in the same write. Beside them, the claims that make an asset and a certificate
 * serve one batch, and the lists of an institution's and a station's batches.
 */
export class BatchRepository extends AggregateRepository<BatchDoc, PendingEvent> {
  private readonly claims: Pick<Models, 'AssetClaim' | 'CertificateClaim' | 'BatchList'>;

  constructor(
    models: Pick<Models, 'Batch' | 'AssetClaim' | 'CertificateClaim' | 'BatchList'>,
    deps: RepositoryDeps & { locks: DocumentLocks },
    private readonly now: () => Date,
  ) {
    super(models.Batch, deps, { lockPrefix: 'batch', notFound: batchNotFound });
    this.claims = models;
  }

  /**
   * Claims every asset card for the batch; on the first card held by another batch, releases the
   * cards this attempt took and answers that card's index and holder.
   */
  async claimAssets(
    creditCode: string,
    assetCardNos: readonly string[],
    batchId: string,
  ): Promise<{ ok: true } | { ok: false; index: number; holder: string | null }> {
    const col = this.claims.AssetClaim.collection as unknown as mongo.Collection<AssetClaimDoc>;
    const taken: string[] = [];
    for (const [index, cardNo] of assetCardNos.entries()) {
      const key = `${creditCode}#${cardNo}`;
      const outcome = await claim(col, { _id: key, batchId, claimedAt: this.now() });
      if (outcome.claimed || outcome.holder?.batchId === batchId) {
        taken.push(key);
        continue;
      }
      for (const id of taken) await this.claims.AssetClaim.deleteOne({ _id: id, batchId });
      return { ok: false, index, holder: outcome.holder?.batchId ?? null };
    }
    return { ok: true };
  }

  /** Frees the cards of a cancelled batch, so that its assets can be registered again. */
  async releaseAssets(creditCode: string, assetCardNos: readonly string[], batchId: string): Promise<void> {
    for (const cardNo of assetCardNos) {
      await this.claims.AssetClaim.deleteOne({ _id: `${creditCode}#${cardNo}`, batchId });
    }
  }

  /** The batch disposing of an asset, by its card. */
  async batchOfAsset(creditCode: string, assetCardNo: string): Promise<string | null> {
    return (await this.claims.AssetClaim.findById(`${creditCode}#${assetCardNo}`).lean())?.batchId ?? null;
  }

  /** Claims `<receiverCode>#<certificateNo>` for the batch; the holder when another batch has it. */
  async claimCertificate(
    receiverCode: string,
    certificateNo: string,
    batchId: string,
  ): Promise<string | null> {
    const col = this.claims.CertificateClaim.collection as unknown as mongo.Collection<CertificateClaimDoc>;
    const outcome = await claim(col, { _id: `${receiverCode}#${certificateNo}`, batchId });
    if (outcome.claimed || outcome.holder?.batchId === batchId) return null;
    return outcome.holder?.batchId ?? 'unknown';
  }

  /** Adds the batch to a list (`institution:<code>`, `station:<id>`), once, under the list's lock. */
  addToList(listId: string, batchId: string): Promise<void> {
    return this.deps.locks.withLock(`batch-list:${listId}`, async () => {
      const doc =
        (await this.claims.BatchList.findById(listId)) ?? new this.claims.BatchList({ _id: listId });
      if (doc.batchIds.includes(batchId)) return;
      doc.batchIds.push(batchId);
      await doc.save();
    });
  }

  async list(listId: string): Promise<BatchListDoc | null> {
    return this.claims.BatchList.findById(listId).lean();
  }
}
