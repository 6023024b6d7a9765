import { RuleError } from '../domain/rule-error';
import type { StationDoc } from '../store/models';
import type { SortingContext } from './context';

export interface StationInput {
  name: string;
  districtCode: string;
  enterpriseId: string;
  active: boolean;
}

/** Creates or replaces a station record (administrators keep them). */
export async function putStation(ctx: SortingContext, stationId: string, input: StationInput) {
  if (!ctx.profile.districts.some((d) => d.code === input.districtCode)) {
    throw new RuleError(
      'invalid',
      `城市配置中没有该区域 / District ${input.districtCode} is not in the city profile`,
      'districtCode',
    );
  }
  const existing = await ctx.models.Station.exists({ _id: stationId });
  const doc: StationDoc = { _id: stationId, ...input, updatedAt: ctx.now() };
  // One whole-document write under the station's lock: administrators editing the same station
  // concurrently end with one of their versions, never a mix.
  await ctx.messaging.locks.withLock(`station:${stationId}`, () =>
    ctx.models.Station.replaceOne({ _id: stationId }, doc, { upsert: true }),
  );
  return { station: doc, created: !existing };
}

export async function activeStation(ctx: SortingContext, stationId: string): Promise<StationDoc> {
  const station = await ctx.models.Station.findById(stationId).lean();
  if (!station) throw new RuleError('not-found', `没有该回收站 / No station ${stationId}`);
  if (!station.active) {
    throw new RuleError('conflict', `该回收站已停用 / Station ${stationId} is not active`);
  }
  return station;
}

export const stationView = (s: StationDoc) => ({
  stationId: s._id,
  name: s.name,
  districtCode: s.districtCode,
  enterpriseId: s.enterpriseId,
  active: s.active,
  updatedAt: s.updatedAt.toISOString(),
});
