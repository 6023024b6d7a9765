import { RuleViolation } from '../domain/errors';
import { isDuplicateKey, rawCollection, type Models } from './models';

// One live intake per VIN. The claim is a document inserted under the VIN itself, which is atomic on
// FerretDB too; a find-then-insert would let two gates take the same car. Voiding releases the claim.
// A claim whose intake was never written (the process died between the two inserts) or was voided
// without releasing it is stale and is taken over.

const STALE_CLAIM_MS = 60_000;

export async function claimVin(
  models: Models,
  vin: string,
  vehicleIntakeId: string,
  now = new Date(),
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await rawCollection(models.VinClaim).insertOne({ _id: vin, vehicleIntakeId, claimedAt: now });
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const holder = await models.VinClaim.findById(vin).lean();
    if (!holder) continue;
    const intake = await models.VehicleIntake.findById(holder.vehicleIntakeId, { status: 1 }).lean();
    const stale =
      intake?.status === 'voided' || (!intake && now.getTime() - holder.claimedAt.getTime() > STALE_CLAIM_MS);
    if (!stale) {
      throw new RuleViolation(
        'conflict',
        'vin-already-taken',
        `车架号 ${vin} 已有有效的接收记录，不能重复接收 / VIN ${vin} already has a live intake and cannot be taken in twice.`,
        'vin',
      );
    }
    await models.VinClaim.deleteOne({ _id: vin, vehicleIntakeId: holder.vehicleIntakeId });
  }
  throw new Error(`could not claim VIN ${vin}: the claim kept changing`);
}

/** Releases the claim only if this intake holds it. */
export async function releaseVin(models: Models, vin: string, vehicleIntakeId: string): Promise<void> {
  await models.VinClaim.deleteOne({ _id: vin, vehicleIntakeId });
}
