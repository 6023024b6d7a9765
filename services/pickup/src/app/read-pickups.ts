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

/**
 * A resident's own pickups, newest first, read by `_id`: their list, then the pickups it names. A
 * resident who booked before the lists existed gets theirs made once, from one read of the pickups.
 */
async function residentPickups(ctx: PickupContext, residentId: string, query: ListQuery) {
  let ids = await ctx.residentPickups.find(residentId);
  if (!ids) {
    // Once per resident (a rare path): the pickups booked before the list existed.
    const earlier = await ctx.pickups.list({ residentId }, { limit: 10_000, offset: 0 });
    ids = earlier.map((d) => d._id).reverse();
    await ctx.residentPickups.add(residentId, ids);
  }
  const docs = (await ctx.pickups.findMany(ids))
    .filter((d) => d.residentId === residentId)
    .filter((d) => !query.status || d.status === query.status)
    .filter((d) => !query.districtCode || d.address.districtCode === query.districtCode)
    .filter((d) => !query.date || d.slot.date === query.date)
    .filter((d) => !query.siteId || d.assignedSite.siteId === query.siteId)
    .sort(
      (a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || (a._id < b._id ? -1 : 1),
    );
  return docs.slice(query.offset, query.offset + query.limit);
}

/** The pickups the principal may see, newest first. */
export async function listPickups(ctx: PickupContext, principal: Principal, query: ListQuery) {
  const visibility = visibilityOf(principal);
  if (!visibility)
    throw DomainError.forbidden('pickups-not-visible', '无权查看上门回收预约 / Not allowed to read pickups.');
  const { limit, offset, ...filter } = query;
  const docs = visibility.residentId
    ? await residentPickups(ctx, visibility.residentId, query)
    : await ctx.pickups.list({ ...filter, ...visibility }, { limit, offset });
  return docs.map((d) => pickupView(d, viewerOf(principal, d)!, ctx.profile, todayOf(ctx)));
}
