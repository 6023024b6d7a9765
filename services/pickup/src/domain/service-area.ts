// What a resident learns before filling anything in: whether their district is served (a sorting
// station collects appliances there, a dismantler vehicles), and where they can take things
// themselves when it is not. Sites carry no coordinates, so "nearest" is by the city's districts:
// the same district first, then regiment towns by the distance of their regiment numbers, the urban
// streets and the township as one neighbourhood (an assumption until sites carry a location).

export interface AreaDistrict {
  code: string;
  kind: string;
  regiment?: number;
}

export interface CoverageSite {
  siteId: string;
  kind: 'station' | 'dismantler';
  districts: readonly string[];
  active: boolean;
  dropOff?: { districtCode: string };
}

/** How far apart two districts are, for ordering drop-off points (0 = the same district). */
export function districtDistance(a: AreaDistrict, b: AreaDistrict): number {
  if (a.code === b.code) return 0;
  if (a.regiment !== undefined && b.regiment !== undefined) return Math.abs(a.regiment - b.regiment);
  const urban = (d: AreaDistrict) => d.kind !== 'town';
  if (urban(a) && urban(b)) return 1;
  // A town and the city centre: the towns near the centre (low regiment numbers) first.
  const town = a.regiment ?? b.regiment ?? 0;
  return 2 + town;
}

/** Which kinds of pickup are served in a district, and by which sites. */
export function coverageOf<S extends CoverageSite>(sites: readonly S[], districtCode: string) {
  const serving = (kind: CoverageSite['kind']) =>
    sites.filter((s) => s.active && s.kind === kind && s.districts.includes(districtCode));
  return { stations: serving('station'), dismantlers: serving('dismantler') };
}

/** Active stations that take goods brought in, nearest first, at most `limit`. */
export function nearestDropOffs<S extends CoverageSite>(
  sites: readonly S[],
  district: AreaDistrict,
  districts: readonly AreaDistrict[],
  limit = 3,
): S[] {
  const byCode = new Map(districts.map((d) => [d.code, d]));
  const distance = (s: S) => {
    const at = s.dropOff ? byCode.get(s.dropOff.districtCode) : undefined;
    return at ? districtDistance(district, at) : Number.MAX_SAFE_INTEGER;
  };
  return sites
    .filter((s) => s.active && s.kind === 'station' && s.dropOff)
    .map((s) => ({ s, d: distance(s) }))
    .sort((a, b) => a.d - b.d || (a.s.siteId < b.s.siteId ? -1 : a.s.siteId > b.s.siteId ? 1 : 0))
    .slice(0, limit)
    .map(({ s }) => s);
}
