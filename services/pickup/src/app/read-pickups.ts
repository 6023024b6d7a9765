import { DomainError, type Principal } from '@recycling/contracts';
import { viewerOf, visibilityOf } from '../domain/access';
import { pickupNotFound } from '../store/pickup-repository';
import { todayOf, type PickupContext } from './context';
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
  const doc = await ctx.pickups.find(pickupId);
  const viewer = doc ? viewerOf(principal, doc) : undefined;
  if (!doc || !viewer) throw pickupNotFound(pickupId);
  return pickupView(doc, viewer, ctx.profile, todayOf(ctx));
}

/** The pickups the principal may see, newest first. */
export async function listPickups(ctx: PickupContext, principal: Principal, query: ListQuery) {
  const visibility = visibilityOf(principal);
  if (!visibility)
    throw DomainError.forbidden('pickups-not-visible', '无权查看上门回收预约 / Not allowed to read pickups.');
  const { limit, offset, ...filter } = query;
  const docs = await ctx.pickups.list({ ...filter, ...visibility }, { limit, offset });
  return docs.map((d) => pickupView(d, viewerOf(principal, d)!, ctx.profile, todayOf(ctx)));
}
