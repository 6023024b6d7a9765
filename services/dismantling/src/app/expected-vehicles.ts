import type { ExpectedVehicleDoc } from '../store/models';
import type { AppContext } from './context';

/**
 * Vehicle pickups assigned to a site that are still open and not yet taken in. Intakes do not write
 * the expected-vehicle documents (the pickups consumer is their one writer), so "taken in" is read
 * from the intakes that name the pickup.
 */
export async function listExpectedVehicles(
  ctx: AppContext,
  dismantlerId: string,
): Promise<Omit<ExpectedVehicleDoc, 'appliedEvents'>[]> {
  const open = await ctx.models.ExpectedVehicle.find(
    { dismantlerId, status: { $in: ['requested', 'scheduled', 'collected'] } },
    { appliedEvents: 0 },
  )
    .sort({ requestedAt: 1 })
    .limit(500)
    .lean();
  if (open.length === 0) return [];
  const takenIn = await ctx.models.VehicleIntake.find(
    { pickupId: { $in: open.map((e) => e._id) }, status: 'received' },
    { pickupId: 1 },
  ).lean();
  const taken = new Set(takenIn.map((i) => i.pickupId));
  return open.filter((e) => !taken.has(e._id));
}
