import type { DropOff, SiteDoc } from '../store/models';
import type { PickupContext } from './context';

export interface SiteInput {
  kind: 'station' | 'dismantler';
  name: { zh: string; en: string };
  enterpriseId: string;
  districts: string[];
  active: boolean;
  dropOff?: DropOff;
}

export const siteView = (s: SiteDoc) => ({
  siteId: s._id,
  kind: s.kind,
  name: s.name,
  enterpriseId: s.enterpriseId,
  districts: s.districts,
  active: s.active,
  ...(s.dropOff ? { dropOff: s.dropOff } : {}),
  updatedAt: new Date(s.updatedAt).toISOString(),
});

/** An administrator registers or updates a site; pickups already assigned keep their site. */
export async function putSite(
  ctx: PickupContext,
  siteId: string,
  input: SiteInput,
  by: string,
): Promise<{ site: ReturnType<typeof siteView>; created: boolean }> {
  const doc: SiteDoc = {
    _id: siteId,
    ...input,
    districts: [...new Set(input.districts)].sort(),
    updatedAt: ctx.now(),
    updatedBy: by,
  };
  const created = await ctx.sites.put(doc);
  return { site: siteView(doc), created };
}

export async function listSites(ctx: PickupContext, filter: { kind?: string; districtCode?: string }) {
  return (await ctx.sites.list(filter)).map(siteView);
}
