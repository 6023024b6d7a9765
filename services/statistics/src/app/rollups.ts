// The rollup counters of the active generation, by month and dimension value, for tables and exports.
import type { Fields } from '../domain/facts';
import type { StatisticsContext } from './context';

export interface RollupRequest {
  metric: string;
  dim: string;
  from: string;
  to: string;
  /** Only this district's cells (the metric's `district` dimension). */
  district?: string;
}

export interface RollupTable {
  generation: number;
  metric: string;
  dim: string;
  district?: string;
  rows: Array<{ month: string; value: string; fields: Fields }>;
}

export async function rollupTable(
  ctx: Pick<StatisticsContext, 'counters' | 'generations'>,
  request: RollupRequest,
): Promise<RollupTable> {
  const generation = await ctx.generations.active();
  const { district, ...range } = request;
  if (district === undefined) {
    const rows = await ctx.counters.cells(generation, range);
    return { generation, metric: request.metric, dim: request.dim, rows };
  }
  // Dimensions are not crossed: a district's figures are its cells of the `district` dimension.
  const rows = await ctx.counters.cells(generation, { ...range, dim: 'district' });
  return {
    generation,
    metric: request.metric,
    dim: 'district',
    district,
    rows: rows.filter((r) => r.value === district),
  };
}
