// The rollup counters of the active generation, by month and dimension value, for tables and exports.
import type { Fields } from '../domain/facts';
import type { StatisticsContext } from './context';

export interface RollupRequest {
  metric: string;
  dim: string;
  from: string;
  to: string;
}

export interface RollupTable {
  generation: number;
  metric: string;
  dim: string;
  rows: Array<{ month: string; value: string; fields: Fields }>;
}

export async function rollupTable(
  ctx: Pick<StatisticsContext, 'counters' | 'generations'>,
  request: RollupRequest,
): Promise<RollupTable> {
  const generation = await ctx.generations.active();
  const rows = await ctx.counters.cells(generation, request);
  return { generation, metric: request.metric, dim: request.dim, rows };
}
