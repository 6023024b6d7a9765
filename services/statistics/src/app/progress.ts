// Loads the counters a progress report needs (the baseline year and the years of the last 24 months,
// for the total and per district and category) and computes it. The read is a fixed number of point
// reads whatever the range: at most four years x three dimensions x the partitions of the metric.
import { DomainError, type MetricCode } from '@recycling/contracts';
import { ALL } from '../domain/facts';
import { addMonths } from '../domain/months';
import { yearsBetween } from '../domain/series-layout';
import {
  breakdownRows,
  computeProgress,
  districtShare,
  districtTarget,
  monthlyRows,
  type BreakdownRow,
  type DistrictShare,
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
  /** Present when the report is of one district: its part of the city's target. */
  district?: DistrictShare & { code: string };
}

export interface ProgressOptions {
  breakdowns: boolean;
  /** One district's progress (no breakdowns: dimensions are not crossed). */
  district?: string;
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
  options: ProgressOptions,
): Promise<ProgressReport> {
  const rollup = targetRollups[target._id as MetricCode];
  const def = definitionOf(target);
  // The baseline year (seasonality, same period) and the last 24 months (trend), nothing between.
  const years = [
    ...new Set([String(def.baselineYear).padStart(4, '0'), ...yearsBetween(addMonths(asOf, -23), asOf)]),
  ].sort();
  if (options.district !== undefined)
    return districtReport(counters, gen, target, asOf, years, options.district);
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

/**
 * One district against its share of the city's target (`districtShare`): the same arithmetic on the
 * district's own months. Read from the same collections, the city's total and the district cells.
 */
async function districtReport(
  counters: CounterStore,
  gen: number,
  target: TargetDoc,
  asOf: string,
  years: string[],
  district: string,
): Promise<ProgressReport> {
  const rollup = targetRollups[target._id as MetricCode];
  const byDim = await counters.seriesByDim(gen, rollup.metric, [ALL, 'district'], rollup.field, years);
  const city = byDim.get(ALL)?.get(ALL) ?? new Map<string, number>();
  const series = byDim.get('district')?.get(district) ?? new Map<string, number>();
  const share = districtShare(city, series, target.baselineYear, asOf);
  const def = districtTarget(definitionOf(target), share);
  return {
    ...computeProgress(def, series, asOf),
    name: target.name,
    unit: target.unit,
    baselineAssumed: target.baselineAssumed,
    byMonth: monthlyRows(def, series, asOf),
    district: { code: district, ...share },
  };
}

type ProgressContext = Pick<StatisticsContext, 'counters' | 'targets' | 'generations' | 'now' | 'profile'>;

/** Every target's progress as of `asOf` (default the current month), from the active generation. */
export async function allProgress(
  ctx: ProgressContext,
  asOf: string | undefined,
  options: ProgressOptions,
): Promise<{ asOf: string; generation: number; district?: string; targets: ProgressReport[] }> {
  const month = boundedAsOf(ctx, asOf);
  const generation = await ctx.generations.active();
  const targets = await ctx.targets.list();
  return {
    asOf: month,
    generation,
    ...(options.district ? { district: options.district } : {}),
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
  district?: string,
): Promise<ProgressReport> {
  const month = boundedAsOf(ctx, asOf);
  const target = await targetOf(ctx, metric);
  const generation = await ctx.generations.active();
  return progressReport(ctx.counters, generation, target, month, { breakdowns: true, district });
}

/**
 * The month a report is as of: the one asked for, or the current month in the city's time zone.
 * A month that has not begun yet has nothing to report: 400 naming `asOf`.
 */
export function boundedAsOf(
  ctx: Pick<StatisticsContext, 'now' | 'profile'>,
  asOf: string | undefined,
): string {
  const current = currentMonthOf(ctx);
  if (asOf === undefined) return current;
  if (asOf > current) {
    throw DomainError.invalid(
      'month-in-future',
      'query.asOf',
      `${asOf} 尚未开始，最晚可查 ${current}（${ctx.profile.timezone}）/ ${asOf} has not begun; the latest month is ${current} (${ctx.profile.timezone}).`,
    );
  }
  return asOf;
}
