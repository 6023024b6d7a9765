// Loads the counter cells a progress report needs in one read (the baseline year and the last 24
// months, for the total and per district and category) and computes it.
import type { MetricCode } from '@recycling/contracts';
import { ALL } from '../domain/facts';
import { addMonths } from '../domain/months';
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

export async function progressReport(
  counters: CounterStore,
  gen: number,
  target: TargetDoc,
  asOf: string,
  options: { breakdowns: boolean },
): Promise<ProgressReport> {
  const rollup = targetRollups[target._id as MetricCode];
  const def = definitionOf(target);
  // One read covers the baseline year, the last 24 months and this year, for every dimension shown.
  const from = [`${def.baselineYear}-01`, addMonths(asOf, -23)].sort()[0]!;
  const to = [asOf, `${def.baselineYear}-12`].sort()[1]!;
  const dims = options.breakdowns ? [ALL, 'district', rollup.categoryDim] : [ALL];
  const byDim = await counters.seriesByDim(gen, rollup.metric, dims, rollup.field, from, to);
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
