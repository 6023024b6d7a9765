import { claim, type DocumentLocks } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { CoreUseDoc, DeskMonthDoc, Models, SerialClaimDoc, SourceClaimDoc } from './models';

// Uniqueness by insert (decision 8): a source gives one core (an assembly code once, an intake line
// as many times as the station sorted units to remanufacturing), a core goes into one product, and a
// product serial is one remanufacturer's once. A claim names its holder, so a retry of the same core
// or product finds what it holds instead of being refused.

type Held = { held: true } | { held: false; holder: string | null };

export class ClaimRepository {
  constructor(
    private readonly models: Pick<Models, 'SourceClaim' | 'CoreUse' | 'SerialClaim' | 'DeskMonth'>,
    private readonly locks: DocumentLocks,
    private readonly now: () => Date,
  ) {}

  private col<T>(model: { collection: unknown }): mongo.Collection<T & { _id: string }> {
    return model.collection as mongo.Collection<T & { _id: string }>;
  }

  /** Claims a source for `coreId`; held when it already holds it (a retry). */
  async claimSource(key: string, coreId: string): Promise<Held> {
    const outcome = await claim(this.col<SourceClaimDoc>(this.models.SourceClaim), {
      _id: key,
      coreId,
      claimedAt: this.now(),
    });
    if (outcome.claimed || outcome.holder?.coreId === coreId) return { held: true };
    return { held: false, holder: outcome.holder?.coreId ?? null };
  }

  async sourceHolder(key: string): Promise<string | null> {
    return (await this.models.SourceClaim.findById(key).lean())?.coreId ?? null;
  }

  /** Claims each core for the product; on the first core held by another, releases what it took. */
  async claimCores(
    coreIds: readonly string[],
    productId: string,
  ): Promise<{ ok: true } | { ok: false; coreId: string; holder: string | null }> {
    const taken: string[] = [];
    for (const coreId of coreIds) {
      const outcome = await claim(this.col<CoreUseDoc>(this.models.CoreUse), {
        _id: coreId,
        productId,
        claimedAt: this.now(),
      });
      if (outcome.claimed || outcome.holder?.productId === productId) {
        taken.push(coreId);
        continue;
      }
      for (const id of taken) await this.models.CoreUse.deleteOne({ _id: id, productId });
      return { ok: false, coreId, holder: outcome.holder?.productId ?? null };
    }
    return { ok: true };
  }

  async productOfCore(coreId: string): Promise<string | null> {
    return (await this.models.CoreUse.findById(coreId).lean())?.productId ?? null;
  }

  /** Claims `<remanufacturerId>#<serialNo>`; held when this product holds it. */
  async claimSerial(remanufacturerId: string, serialNo: string, productId: string): Promise<Held> {
    const outcome = await claim(this.col<SerialClaimDoc>(this.models.SerialClaim), {
      _id: `${remanufacturerId}#${serialNo}`,
      productId,
    });
    if (outcome.claimed || outcome.holder?.productId === productId) return { held: true };
    return { held: false, holder: outcome.holder?.productId ?? null };
  }

  async releaseSerial(remanufacturerId: string, serialNo: string, productId: string): Promise<void> {
    await this.models.SerialClaim.deleteOne({ _id: `${remanufacturerId}#${serialNo}`, productId });
  }

  /** Adds a core or product to the remanufacturer's desk of the month (once). */
  addToDesk(
    remanufacturerId: string,
    month: string,
    item: { coreId?: string; productId?: string },
  ): Promise<void> {
    const id = `${remanufacturerId}|${month}`;
    return this.locks.withLock(`desk:${id}`, async () => {
      const doc = (await this.models.DeskMonth.findById(id)) ?? new this.models.DeskMonth({ _id: id });
      let changed = false;
      if (item.coreId && !doc.coreIds.includes(item.coreId)) {
        doc.coreIds.push(item.coreId);
        changed = true;
      }
      if (item.productId && !doc.productIds.includes(item.productId)) {
        doc.productIds.push(item.productId);
        changed = true;
      }
      if (changed) await doc.save();
    });
  }

  async desk(remanufacturerId: string, month: string): Promise<DeskMonthDoc | null> {
    return this.models.DeskMonth.findById(`${remanufacturerId}|${month}`).lean();
  }
}
