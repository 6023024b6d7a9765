// Loads the counters a progress report needs (the baseline year and the years of the last 24 months,
// for the total and per district and category) and computes it. The read is a fixed number of point
// reads whatever the range: at most four years x three dimensions x the partitions of the metric.
import type { MetricCode } from '@recycling/contracts';
import { ALL } from '../domain/facts';
import { addMonths } from '../domain/months';
import { yearsBetween } from '../domain/series-layout';
import {
  breakdownRows,
  computeProgress,
  monthlyRows,
  type BreakdownRow,
  type MonthRow,
  type Progress,
  type TargetDefinition,
} from '../domain/progress';
import { targetRollups } from '../domain/target-metrics';
import type { CounterStore } from '../store/counters';
import type { TargetDoc } from '../store/targets';
import { currentMonthOf, type StatisticsContext } from './context';
import { targetOf } from './targets';

export interface ProgressReport extends Progress {
  name: TargetDoc['name'];
  unit: TargetDoc['unit'];
  baselineAssumed: boolean;
  byMonth: MonthRow[];
  byDistrict?: BreakdownRow[];
  byCategory?: BreakdownRow[];
}

const definitionOf = (t: TargetDoc): TargetDefinition => ({
  metric: t._id,
  baseline: t.baseline,
  baselineYear: t.baselineYear,
  targetYear: t.targetYear,
  growthBp: t.growthBp,
});

export async function progressReport(
  counters: CounterStore,
  gen: number,
  target: TargetDoc,
  asOf: string,
  options: { breakdowns: boolean },
): Promise<ProgressReport> {
  const rollup = targetRollups[target._id as MetricCode];
  const def = definitionOf(target);
  // The baseline year (seasonality, same period) and the last 24 months (trend), nothing between.
  const years = [
    ...new Set([String(def.baselineYear).padStart(4, '0'), ...yearsBetween(addMonths(asOf, -23), asOf)]),
  ].sort();
  const dims = options.breakdowns ? [ALL, 'district', rollup.categoryDim] : [ALL];
  const byDim = await counters.seriesByDim(gen, rollup.metric, dims, rollup.field, years);
  const series = byDim.get(ALL)?.get(ALL) ?? new Map<string, number>();
  const progress = computeProgress(def, series, asOf);
  const report: ProgressReport = {
    ...progress,
    name: target.name,
    unit: target.unit,
    baselineAssumed: target.baselineAssumed,
    byMonth: monthlyRows(def, series, asOf),
  };
  if (options.breakdowns) {
    report.byDistrict = breakdownRows(progress, byDim.get('district') ?? new Map(), def.baselineYear);
    report.byCategory = breakdownRows(progress, byDim.get(rollup.categoryDim) ?? new Map(), def.baselineYear);
  }
  return report;
}

type ProgressContext = Pick<StatisticsContext, 'counters' | 'targets' | 'generations' | 'now' | 'profile'>;

/** Every target's progress as of `asOf` (default the current month), from the active generation. */
export async function allProgress(
  ctx: ProgressContext,
  asOf: string | undefined,
  options: { breakdowns: boolean },
): Promise<{ asOf: string; generation: number; targets: ProgressReport[] }> {
  const month = asOf ?? currentMonthOf(ctx);
  const generation = await ctx.generations.active();
  const targets = await ctx.targets.list();
  return {
    asOf: month,
    generation,
    targets: await Promise.all(
      targets.map((t) => progressReport(ctx.counters, generation, t, month, options)),
    ),
  };
}

/** One target's progress by month, district and category. */
export async function metricProgress(
  ctx: ProgressContext,
  metric: MetricCode,
  asOf: string | undefined,
): Promise<ProgressReport> {
  const target = await targetOf(ctx, metric);
  const generation = await ctx.generations.active();
  return progressReport(ctx.counters, generation, target, asOf ?? currentMonthOf(ctx), { breakdowns: true });
}
