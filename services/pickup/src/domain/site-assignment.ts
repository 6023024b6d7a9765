import type { PickupKind } from '@recycling/contracts';

// Appliances go to a sorting station serving the district, vehicles to a qualified dismantler. When
// several serve a district the one with the fewest open pickups there takes it, ties broken by id,
// so the choice is the same on every replica.

export interface SiteRecord {
  siteId: string;
  kind: 'station' | 'dismantler';
  enterpriseId: string;
  districts: readonly string[];
  active: boolean;
}

export const siteKindFor = (kind: PickupKind): SiteRecord['kind'] =>
  kind === 'appliances' ? 'station' : 'dismantler';

export const chooseSite = <S extends SiteRecord>(
  sites: readonly S[],
  kind: PickupKind,
  districtCode: string,
  openPickups: ReadonlyMap<string, number> = new Map(),
): S | undefined =>
  sites
    .filter((s) => s.active && s.kind === siteKindFor(kind) && s.districts.includes(districtCode))
    .sort(
      (a, b) =>
        (openPickups.get(a.siteId) ?? 0) - (openPickups.get(b.siteId) ?? 0) ||
        (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : 0),
    )[0];
