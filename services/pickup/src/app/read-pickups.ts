import type { Principal } from '@recycling/service-kit';
import { HttpProblem } from '@recycling/service-kit';
import { viewerOf, visibilityFilter } from '../domain/access';
import type { PickupDoc } from '../store/models';
import type { PickupContext } from './context';
import { notFound } from './pickup-actions';
import { pickupView } from './pickup-view';

export interface ListQuery {
  status?: string;
  districtCode?: string;
  date?: string;
  siteId?: string;
  limit: number;
  offset: number;
}

export async function getPickup(ctx: PickupContext, principal: Principal, pickupId: string) {
  const doc = await ctx.models.Pickup.findById(pickupId).lean();
  const viewer = doc ? viewerOf(principal, doc) : undefined;
  if (!doc || !viewer) throw notFound(pickupId);
  return pickupView(doc, viewer, ctx.profile);
}

/** The pickups the principal may see, newest first. */
export async function listPickups(ctx: PickupContext, principal: Principal, query: ListQuery) {
  const scope = visibilityFilter(principal);
  if (!scope) throw new HttpProblem(403, undefined, '无权查看上门回收预约 / Not allowed to read pickups.');
  const filter: Record<string, unknown> = { ...scope };
  if (query.status) filter.status = query.status;
  if (query.districtCode) filter['address.districtCode'] = query.districtCode;
  if (query.date) filter['slot.date'] = query.date;
  if (query.siteId) filter['assignedSite.siteId'] = query.siteId;
  const docs = await ctx.models.Pickup.find(filter, { outbox: 0, appliedEvents: 0 })
    .sort({ createdAt: -1, _id: 1 })
    .skip(query.offset)
    .limit(query.limit)
    .lean();
  return (docs as unknown as PickupDoc[]).map((d) => pickupView(d, viewerOf(principal, d)!, ctx.profile));
}
