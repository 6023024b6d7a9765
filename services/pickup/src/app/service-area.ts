import { applianceCategories, DomainError } from '@recycling/contracts';
import { bookableDates, windowsOfDay, type SlotRef } from '../domain/slots';
import { coverageOf, nearestDropOffs } from '../domain/service-area';
import type { SiteDoc } from '../store/models';
import { todayOf, type PickupContext } from './context';

// The served-area check a resident sees first: from the site directory (a small collection) and
// the slots of the next days, read by `_id` (the day's schedule, then seat by seat).

/** At most this many slots are looked at for the next free ones (two weeks of two windows). */
const SLOTS_LOOKED_AT = 28;

const siteRef = (s: SiteDoc) => ({ siteId: s._id, name: s.name });

const dropOffView = (ctx: PickupContext, s: SiteDoc) => {
  const district = ctx.profile.districts.find((d) => d.code === s.dropOff!.districtCode);
  return {
    siteId: s._id,
    name: s.name,
    districtCode: s.dropOff!.districtCode,
    ...(district ? { districtName: district.name } : {}),
    address: s.dropOff!.address,
    hours: s.dropOff!.hours,
  };
};

/** The earliest slots of a district with a free seat, at most `limit`. */
async function nextFreeSlots(ctx: PickupContext, districtCode: string, limit: number) {
  const found: Array<SlotRef> = [];
  let looked = 0;
  for (const date of bookableDates(todayOf(ctx), ctx.policy)) {
    const day = await ctx.slotDays.find(districtCode, date);
    for (const w of windowsOfDay(ctx.policy, day)) {
      if (found.length >= limit || looked >= SLOTS_LOOKED_AT) return found;
      looked += 1;
      if (w.capacity > 0 && (await ctx.seats.hasRoom(districtCode, { date, window: w.window }, w.capacity)))
        found.push({ date, window: w.window });
    }
  }
  return found;
}

const districtOrRefuse = (ctx: PickupContext, districtCode: string) => {
  const district = ctx.profile.districts.find((d) => d.code === districtCode);
  if (!district) {
    throw DomainError.invalid(
      'unknown-district',
      'params.districtCode',
      '没有这个街道或团镇，请从列表中选择 / No such district: pick one from the list.',
    );
  }
  return district;
};

/** Every district of the city and which kinds of pickup are served there (sites only, no slots). */
export async function serviceAreas(ctx: PickupContext) {
  const sites = await ctx.sites.list({ active: true });
  return ctx.profile.districts.map((d) => {
    const { stations, dismantlers } = coverageOf(
      sites.map((s) => ({ ...s, siteId: s._id })),
      d.code,
    );
    return {
      districtCode: d.code,
      name: d.name,
      kind: d.kind,
      appliances: stations.length > 0,
      vehicles: dismantlers.length > 0,
    };
  });
}

/**
 * One district in detail: what can be collected there, by whom, the next free visits; where to
 * bring things oneself (always given: useful when the district is not served, or the slots are full).
 */
export async function serviceArea(ctx: PickupContext, districtCode: string) {
  const district = districtOrRefuse(ctx, districtCode);
  const sites = (await ctx.sites.list({ active: true })).map((s) => ({ ...s, siteId: s._id }));
  const { stations, dismantlers } = coverageOf(sites, districtCode);
  const served = stations.length > 0 || dismantlers.length > 0;
  const nextSlots = served ? await nextFreeSlots(ctx, districtCode, 3) : [];
  return {
    districtCode,
    name: district.name,
    appliances: {
      served: stations.length > 0,
      sites: stations.map(siteRef),
      // Household appliances only: production equipment does not come door to door.
      categories:
        stations.length > 0
          ? Object.values(applianceCategories)
              .filter((c) => c.householdAppliance)
              .map((c) => c.code)
          : [],
    },
    vehicles: { served: dismantlers.length > 0, sites: dismantlers.map(siteRef) },
    windows: served ? [...ctx.policy.windows] : [],
    nextSlots,
    dropOffs: nearestDropOffs(sites, district, ctx.profile.districts).map((s) => dropOffView(ctx, s)),
  };
}
