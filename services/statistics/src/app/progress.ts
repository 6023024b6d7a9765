// Loads the few counter cells a progress report needs (the baseline year and the last 24 months of
// the total; the baseline year's and this year's months per district and category) and computes it.
import type { MetricCode } from '@recycling/contracts';
import { ALL } from '../domain/facts';
import { addMonths, yearOfMonth } from '../domain/months';
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

async function seriesOf(
  counters: CounterStore,
  gen: number,
  metric: string,
  dim: string,
  field: string,
  ranges: Array<[string, string]>,
): Promise<Map<string, Map<string, number>>> {
  const merged = new Map<string, Map<string, number>>();
  const parts = await Promise.all(
    ranges.map(([from, to]) => counters.series(gen, metric, dim, field, from, to)),
  );
  for (const part of parts) {
    for (const [value, byMonth] of part) {
      const into = merged.get(value) ?? new Map<string, number>();
      // Ranges may overlap (a baseline year inside the last 24 months): a month is taken once.
      for (const [month, n] of byMonth) into.set(month, n);
      merged.set(value, into);
    }
  }
  return merged;
}

export async function progressReport(
  counters: CounterStore,
  gen: number,
  target: TargetDoc,
  asOf: string,
  options: { breakdowns: boolean },
): Promise<ProgressReport> {
  const rollup = targetRollups[target._id as MetricCode];
  const def = definitionOf(target);
  const baselineRange: [string, string] = [`${def.baselineYear}-01`, `${def.baselineYear}-12`];
  const totals = await seriesOf(counters, gen, rollup.metric, ALL, rollup.field, [
    baselineRange,
    [addMonths(asOf, -23), asOf],
  ]);
  const series = totals.get(ALL) ?? new Map<string, number>();
  const progress = computeProgress(def, series, asOf);
  const report: ProgressReport = {
    ...progress,
    name: target.name,
    unit: target.unit,
    baselineAssumed: target.baselineAssumed,
    byMonth: monthlyRows(def, series, asOf),
  };
  if (options.breakdowns) {
    const ranges: Array<[string, string]> = [
      [`${def.baselineYear}-01`, `${def.baselineYear}-${asOf.slice(5)}`],
      [`${yearOfMonth(asOf)}-01`, asOf],
    ];
    const [districts, categories] = await Promise.all([
      seriesOf(counters, gen, rollup.metric, 'district', rollup.field, ranges),
      seriesOf(counters, gen, rollup.metric, rollup.categoryDim, rollup.field, ranges),
    ]);
    report.byDistrict = breakdownRows(progress, districts, def.baselineYear);
    report.byCategory = breakdownRows(progress, categories, def.baselineYear);
  }
  return report;
}
