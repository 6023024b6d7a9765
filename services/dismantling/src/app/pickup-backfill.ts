// A vehicle can be taken in under its pickup before the pickup's events have reached this service
// (the pickups consumer lags, or the car simply arrives first). Such an intake has the site's
// district and no resident key, so the owner could not read the certificate online. Whichever
// comes second fills it in: the pickups consumer after it records the expected vehicle, and the
// intake use case after it saves the intake. Each writes first (the expected vehicle; the intake and,
// before it, its note under the pickup id in `early_intakes`) and reads the other after, so at least
// one of them sees both. Every read is by `_id`.
import type { Logger } from 'pino';
import type { DocumentLocks } from '@recycling/store';
import type { Models } from '../store/models';

export interface BackfillContext {
  models: Models;
  locks: Pick<DocumentLocks, 'withLock'>;
  logger: Logger;
}

export type BackfillOutcome = 'filled' | 'already-filled' | 'no-pickup-yet' | 'assigned-elsewhere' | 'gone';

/**
 * Gives one intake the resident key and district of its pickup, if it lacks them and the pickup is
 * now known. Idempotent: an intake that has its resident key is left as it is. Runs under the
 * intake's lock, because the HTTP use cases write the same document (FerretDB updates are not
 * atomic, docs/conventions.md).
 */
export function backfillIntake(ctx: BackfillContext, vehicleIntakeId: string): Promise<BackfillOutcome> {
  return ctx.locks.withLock(`vehicle-intake:${vehicleIntakeId}`, async () => {
    const intake = await ctx.models.VehicleIntake.findById(vehicleIntakeId, {
      pickupId: 1,
      residentKey: 1,
      dismantlerId: 1,
    }).lean();
    if (!intake?.pickupId) return 'gone';
    if (intake.residentKey) return 'already-filled';
    const pickup = await ctx.models.ExpectedVehicle.findById(intake.pickupId, {
      dismantlerId: 1,
      residentKey: 1,
      districtCode: 1,
    }).lean();
    if (!pickup?.residentKey) return 'no-pickup-yet';
    if (pickup.dismantlerId !== intake.dismantlerId) {
      // The desk typed a pickup of another site: its resident must not read this vehicle's papers.
      ctx.logger.warn(
        { vehicleIntakeId, pickupId: intake.pickupId, dismantlerId: intake.dismantlerId },
        'intake names a pickup assigned to another dismantler; not linked to its resident',
      );
      return 'assigned-elsewhere';
    }
    await ctx.models.VehicleIntake.updateOne(
      { _id: vehicleIntakeId },
      { $set: { residentKey: pickup.residentKey, districtCode: pickup.districtCode } },
    );
    ctx.logger.info({ vehicleIntakeId, pickupId: intake.pickupId }, 'intake linked to its pickup late');
    return 'filled';
  });
}

/**
 * Notes an intake about to be saved under a pickup the service does not know yet. Idempotent; under
 * a lock, because FerretDB updates are not atomic and two desks may name one pickup.
 */
export function noteEarlyIntake(
  ctx: BackfillContext,
  pickupId: string,
  vehicleIntakeId: string,
): Promise<void> {
  return ctx.locks.withLock(`early-intakes:${pickupId}`, async () => {
    const note = await ctx.models.EarlyIntake.findById(pickupId, { vehicleIntakeIds: 1 }).lean();
    const ids = note?.vehicleIntakeIds ?? [];
    if (ids.includes(vehicleIntakeId)) return;
    await ctx.models.EarlyIntake.updateOne(
      { _id: pickupId },
      { $set: { vehicleIntakeIds: [...ids, vehicleIntakeId], updatedAt: new Date() } },
      { upsert: true },
    );
  });
}

/** Backfills every intake noted under this pickup before its event came (normally none, or one). */
export async function backfillIntakesOfPickup(ctx: BackfillContext, pickupId: string): Promise<number> {
  const note = await ctx.models.EarlyIntake.findById(pickupId, { vehicleIntakeIds: 1 }).lean();
  let filled = 0;
  for (const vehicleIntakeId of note?.vehicleIntakeIds ?? []) {
    if ((await backfillIntake(ctx, vehicleIntakeId)) === 'filled') filled++;
  }
  return filled;
}
