// A vehicle can be taken in under its pickup before the pickup's events have reached this service
// (the pickups consumer lags, or the car simply arrives first). Such an intake has the site's
// district and no resident key, so the owner could not read the certificate online. Whichever
// comes second fills it in: the pickups consumer after it records the expected vehicle, and the
// intake use case after it saves the intake. Each writes first (the expected vehicle; the intake and,
// before it, its note under the pickup id in `early_intakes`) and reads the other after, so at least
// one of them sees both. Every read is by `_id`.
import type { AppContext } from './context';

export type BackfillOutcome = 'filled' | 'already-filled' | 'no-pickup-yet' | 'assigned-elsewhere' | 'gone';

/**
 * Gives one intake the resident key and district of its pickup, if it lacks them and the pickup is
 * now known. Idempotent: an intake that has its resident key is left as it is. The write happens
 * under the intake's lock (the repository's), because the HTTP use cases write the same document.
 */
export async function backfillIntake(ctx: AppContext, vehicleIntakeId: string): Promise<BackfillOutcome> {
  // An intake's pickup and site never change, so these reads need no lock; the key is checked again
  // under it.
  const intake = await ctx.intakes.record(vehicleIntakeId);
  if (!intake?.pickupId) return 'gone';
  if (intake.residentKey) return 'already-filled';
  const pickup = await ctx.expectedVehicles.find(intake.pickupId);
  if (!pickup?.residentKey) return 'no-pickup-yet';
  if (pickup.dismantlerId !== intake.dismantlerId) {
    // The desk typed a pickup of another site: its resident must not read this vehicle's papers.
    ctx.logger.warn(
      { vehicleIntakeId, pickupId: intake.pickupId, dismantlerId: intake.dismantlerId },
      'intake names a pickup assigned to another dismantler; not linked to its resident',
    );
    return 'assigned-elsewhere';
  }
  const { result } = await ctx.intakes.update(vehicleIntakeId, (doc) => {
    if (doc.residentKey) return { result: 'already-filled' as const };
    doc.residentKey = pickup.residentKey;
    doc.districtCode = pickup.districtCode;
    return { result: 'filled' as const };
  });
  if (result === 'filled') {
    ctx.logger.info({ vehicleIntakeId, pickupId: intake.pickupId }, 'intake linked to its pickup late');
  }
  return result;
}

/** Backfills every intake noted under this pickup before its event came (normally none, or one). */
export async function backfillIntakesOfPickup(ctx: AppContext, pickupId: string): Promise<number> {
  let filled = 0;
  for (const vehicleIntakeId of await ctx.earlyIntakes.intakeIdsOf(pickupId)) {
    if ((await backfillIntake(ctx, vehicleIntakeId)) === 'filled') filled++;
  }
  return filled;
}
