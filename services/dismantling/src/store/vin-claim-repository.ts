import { claim, type DocumentLocks } from '@recycling/store';
import { refusal } from '../domain/errors';
import { rawCollection, type Models, type VinClaimDoc } from './models';

// One live intake per VIN. The claim is a document inserted under the VIN itself, which is atomic on
// FerretDB too; a find-then-insert would let two gates take the same car. Voiding releases the claim.
// A claim whose intake was never written (the process died between the two inserts) or was voided
// without releasing it is stale and is taken over. Claims are only inserted and deleted, and every
// delete checks the holder under the lock `vin-claim:<vin>`, so a delete reads and removes by `_id`
// alone and never removes a claim another intake has taken meanwhile.

const STALE_CLAIM_MS = 60_000;
const ATTEMPTS = 5;

export class VinClaimRepository {
  constructor(
    private readonly models: Pick<Models, 'VinClaim' | 'VehicleIntake'>,
    private readonly locks: DocumentLocks,
  ) {}

  /** Claims the VIN for the intake, taking over a stale claim; refuses while another intake lives. */
  async claim(vin: string, vehicleIntakeId: string, now: Date): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const outcome = await claim(rawCollection(this.models.VinClaim), {
        _id: vin,
        vehicleIntakeId,
        claimedAt: now,
      });
      if (outcome.claimed) return;
      const holder = outcome.holder;
      if (!holder) continue; // released meanwhile: try again
      if (!(await this.isStale(holder, now))) {
        throw refusal(
          'conflict',
          'vin-already-taken',
          `车架号 ${vin} 已有有效的接收记录，不能重复接收 / VIN ${vin} already has a live intake and cannot be taken in twice.`,
          'vin',
        );
      }
      await this.release(vin, holder.vehicleIntakeId);
    }
    throw new Error(`could not claim VIN ${vin}: the claim kept changing`);
  }

  /** Releases the claim only if this intake holds it. */
  release(vin: string, vehicleIntakeId: string): Promise<void> {
    return this.locks.withLock(`vin-claim:${vin}`, async () => {
      const held = await this.models.VinClaim.findById(vin, { vehicleIntakeId: 1 }).lean();
      if (held?.vehicleIntakeId === vehicleIntakeId) await this.models.VinClaim.deleteOne({ _id: vin });
    });
  }

  private async isStale(holder: VinClaimDoc, now: Date): Promise<boolean> {
    const intake = await this.models.VehicleIntake.findById(holder.vehicleIntakeId, { status: 1 }).lean();
    if (intake) return intake.status === 'voided';
    return now.getTime() - new Date(holder.claimedAt).getTime() > STALE_CLAIM_MS;
  }
}
