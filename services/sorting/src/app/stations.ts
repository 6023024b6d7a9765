import { DomainError } from '@recycling/contracts';
import type { StationDoc } from '../store/models';
import type { SortingContext } from './context';

export interface StationInput {
  name: string;
  districtCode: string;
  enterpriseId: string;
  active: boolean;
}

const stationNotFound = (stationId: string) =>
  DomainError.notFound('station-not-found', `没有该回收站 / No station ${stationId}`);

/** Creates or replaces a station record (administrators keep them). */
export async function putStation(ctx: SortingContext, stationId: string, input: StationInput) {
  if (!ctx.profile.districts.some((d) => d.code === input.districtCode)) {
    throw DomainError.invalid(
      'unknown-district',
      'districtCode',
      `城市配置中没有该区域 / District ${input.districtCode} is not in the city profile`,
    );
  }
  const doc: StationDoc = { _id: stationId, ...input, updatedAt: ctx.now() };
  await ctx.stations.put(doc);
  return stationView(doc);
}

export async function getStation(ctx: SortingContext, stationId: string): Promise<StationDoc> {
  const station = await ctx.stations.find(stationId);
  if (!station) throw stationNotFound(stationId);
  return station;
}

export async function activeStation(ctx: SortingContext, stationId: string): Promise<StationDoc> {
  const station = await getStation(ctx, stationId);
  if (!station.active) {
    throw DomainError.conflict('station-inactive', `该回收站已停用 / Station ${stationId} is not active`);
  }
  return station;
}

export const listStations = async (ctx: SortingContext) => (await ctx.stations.list()).map(stationView);

export const stationView = (s: StationDoc) => ({
  stationId: s._id,
  name: s.name,
  districtCode: s.districtCode,
  enterpriseId: s.enterpriseId,
  active: s.active,
  updatedAt: s.updatedAt.toISOString(),
});
