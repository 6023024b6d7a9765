import type { IntakeRecord } from '../store/models';
import type { AppContext } from './context';
import { notFound, type SiteAccess } from './intake-common';

export async function getIntake(
  ctx: AppContext,
  vehicleIntakeId: string,
  access: SiteAccess,
): Promise<IntakeRecord> {
  const doc = await ctx.models.VehicleIntake.findById(vehicleIntakeId, {
    outbox: 0,
    outboxUpdatedAt: 0,
  }).lean();
  if (!doc) throw notFound(vehicleIntakeId);
  access(doc.dismantlerId);
  return doc;
}

/** A site's intakes, newest first. */
export async function listIntakes(
  ctx: AppContext,
  query: { dismantlerId: string; status?: 'received' | 'voided'; limit: number },
  access: SiteAccess,
): Promise<IntakeRecord[]> {
  access(query.dismantlerId);
  return ctx.models.VehicleIntake.find(
    { dismantlerId: query.dismantlerId, ...(query.status ? { status: query.status } : {}) },
    { outbox: 0, outboxUpdatedAt: 0 },
  )
    .sort({ receivedAt: -1 })
    .limit(query.limit)
    .lean();
}
