// Progress against a growth target, from monthly counts. All figures are plain arithmetic on the
// counts so that they can be checked by hand:
//   required annual growth  r = (1 + g)^(1 / (targetYear - baselineYear)) - 1
//   required value in year y = baseline x (1 + r)^(y - baselineYear)
//   share of the year by month M = the baseline year's counted Jan..M over its counted total
//                                   (its seasonality), or M / 12 when the baseline year was not counted
//   required year to date    = required value in the current year x share
//   baseline same period     = counted Jan..M of the baseline year, or baseline x M / 12
//   trend                    = last 12 months / the 12 months before - 1
//   projection (target year) = last 12 months x (1 + trend)^(months to the end of the target year / 12)
//   on track                 = projection >= target value
import { addMonths, monthNumber, yearOfMonth } from './months';

export interface TargetDefinition {
  metric: string;
  baseline: number;
  baselineYear: number;
  targetYear: number;
  growthBp: number;
}

/** Monthly counts of one metric (or one district/category of it), keyed 'YYYY-MM'. */
export type MonthlySeries = ReadonlyMap<string, number> | Record<string, number>;

const valueAt = (s: MonthlySeries, month: string): number =>
  (s instanceof Map ? s.get(month) : (s as Record<string, number>)[month]) ?? 0;

const sumMonths = (s: MonthlySeries, from: string, to: string): number => {
  let total = 0;
  for (let m = from; m <= to; m = addMonths(m, 1)) total += valueAt(s, m);
  return total;
};

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const targetValueOf = (t: TargetDefinition): number =>
  Math.round((t.baseline * (10_000 + t.growthBp)) / 10_000);

export const requiredAnnualGrowth = (t: TargetDefinition): number =>
  (1 + t.growthBp / 10_000) ** (1 / (t.targetYear - t.baselineYear)) - 1;

export const requiredValueForYear = (t: TargetDefinition, year: number): number =>
  t.baseline * (1 + requiredAnnualGrowth(t)) ** (year - t.baselineYear);

export interface SeasonalShare {
  /** Fraction of a year's total expected by the end of the month. */
  share: number;
  source: 'counted-baseline-year' | 'pro-rata';
}

/** The share of a year reached by month `m` (1-12), from the baseline year's counts when there are any. */
export function shareOfYear(series: MonthlySeries, baselineYear: number, m: number): SeasonalShare {
  const total = sumMonths(series, `${baselineYear}-01`, `${baselineYear}-12`);
  if (total > 0) {
    const upTo = sumMonths(series, `${baselineYear}-01`, `${baselineYear}-${String(m).padStart(2, '0')}`);
    return { share: upTo / total, source: 'counted-baseline-year' };
  }
  return { share: m / 12, source: 'pro-rata' };
}

export interface Progress {
  metric: string;
  asOf: string;
  year: number;
  target: {
    baseline: number;
    baselineYear: number;
    targetYear: number;
    growthBp: number;
    targetValue: number;
    requiredAnnualGrowth: number;
  };
  yearToDate: number;
  baselineSamePeriod: number;
  baselineSamePeriodSource: SeasonalShare['source'];
  growthVsBaseline: number | null;
  requiredYearToDate: number;
  requiredForYear: number;
  aheadOfTrajectory: boolean;
  last12Months: number;
  previous12Months: number;
  trendGrowth: number | null;
  projectedCurrentYear: number;
  projectedTargetYear: number;
  onTrack: boolean;
}

/** Progress of one target as of the end of month `asOf`, from the metric's monthly totals. */
export function computeProgress(t: TargetDefinition, series: MonthlySeries, asOf: string): Progress {
  const year = yearOfMonth(asOf);
  const m = monthNumber(asOf);
  const { share, source } = shareOfYear(series, t.baselineYear, m);
  const yearToDate = sumMonths(series, `${year}-01`, asOf);
  const baselineSamePeriod =
    source === 'counted-baseline-year'
      ? sumMonths(series, `${t.baselineYear}-01`, `${t.baselineYear}-${asOf.slice(5)}`)
      : (t.baseline * m) / 12;
  const requiredForYear = requiredValueForYear(t, year);
  const requiredYearToDate = requiredForYear * share;
  const last12Months = sumMonths(series, addMonths(asOf, -11), asOf);
  const previous12Months = sumMonths(series, addMonths(asOf, -23), addMonths(asOf, -12));
  const trendGrowth = previous12Months > 0 ? last12Months / previous12Months - 1 : null;
  const monthsToTargetEnd = (t.targetYear - year) * 12 + (12 - m);
  const projectedTargetYear = last12Months * (1 + (trendGrowth ?? 0)) ** (monthsToTargetEnd / 12);
  const projectedCurrentYear = share > 0 ? yearToDate / share : 0;
  const targetValue = targetValueOf(t);
  return {
    metric: t.metric,
    asOf,
    year,
    target: {
      baseline: t.baseline,
      baselineYear: t.baselineYear,
      targetYear: t.targetYear,
      growthBp: t.growthBp,
      targetValue,
      requiredAnnualGrowth: round(requiredAnnualGrowth(t), 6),
    },
    yearToDate,
    baselineSamePeriod: round(baselineSamePeriod, 2),
    baselineSamePeriodSource: source,
    growthVsBaseline: baselineSamePeriod > 0 ? round(yearToDate / baselineSamePeriod - 1, 6) : null,
    requiredYearToDate: round(requiredYearToDate, 2),
    requiredForYear: round(requiredForYear, 2),
    aheadOfTrajectory: yearToDate >= requiredYearToDate,
    last12Months,
    previous12Months,
    trendGrowth: trendGrowth === null ? null : round(trendGrowth, 6),
    projectedCurrentYear: round(projectedCurrentYear, 2),
    projectedTargetYear: round(projectedTargetYear, 2),
    onTrack: projectedTargetYear >= targetValue,
  };
}

export interface MonthRow {
  month: string;
  actual: number;
  baselineYearSameMonth: number;
  /** What the month needs for the year to stay on the required trajectory. */
  required: number;
}

/** Month by month through `asOf`'s year, against the same month of the baseline year and the trajectory. */
export function monthlyRows(t: TargetDefinition, series: MonthlySeries, asOf: string): MonthRow[] {
  const year = yearOfMonth(asOf);
  const requiredForYear = requiredValueForYear(t, year);
  const baselineTotal = sumMonths(series, `${t.baselineYear}-01`, `${t.baselineYear}-12`);
  const rows: MonthRow[] = [];
  for (let m = 1; m <= monthNumber(asOf); m++) {
    const mm = String(m).padStart(2, '0');
    const baseMonth = valueAt(series, `${t.baselineYear}-${mm}`);
    const monthShare = baselineTotal > 0 ? baseMonth / baselineTotal : 1 / 12;
    rows.push({
      month: `${year}-${mm}`,
      actual: valueAt(series, `${year}-${mm}`),
      baselineYearSameMonth: baseMonth,
      required: round(requiredForYear * monthShare, 2),
    });
  }
  return rows;
}

export interface BreakdownRow {
  value: string;
  yearToDate: number;
  baselineSamePeriod: number;
  growthVsBaseline: number | null;
  /** Below the growth the city as a whole needs by now (required YTD over baseline same period). */
  lagging: boolean | null;
}

/**
 * Year to date per district or category against the same period of the baseline year. A part is
 * lagging when its growth is below the growth the whole city needs by now.
 */
export function breakdownRows(
  progress: Progress,
  seriesByValue: ReadonlyMap<string, MonthlySeries>,
  baselineYear: number,
): BreakdownRow[] {
  const asOf = progress.asOf;
  const neededGrowth =
    progress.baselineSamePeriod > 0 ? progress.requiredYearToDate / progress.baselineSamePeriod - 1 : null;
  const rows: BreakdownRow[] = [];
  for (const [value, series] of seriesByValue) {
    const yearToDate = sumMonths(series, `${progress.year}-01`, asOf);
    const base = sumMonths(series, `${baselineYear}-01`, `${baselineYear}-${asOf.slice(5)}`);
    const growth = base > 0 ? yearToDate / base - 1 : null;
    rows.push({
      value,
      yearToDate,
      baselineSamePeriod: base,
      growthVsBaseline: growth === null ? null : round(growth, 6),
      lagging: growth === null || neededGrowth === null ? null : growth < neededGrowth,
    });
  }
  return rows.sort((a, b) => a.value.localeCompare(b.value));
}

export type DistrictShareSource = 'counted-baseline-year' | 'last-12-months' | 'none';

export interface DistrictShare {
  /** The district's part of the city's figures (0..1). */
  share: number;
  source: DistrictShareSource;
}

/**
 * A district's part of the city's target. The plan sets targets for the whole city; a district is
 * held to the same growth, from its own starting point: its share of what the city counted in the
 * baseline year, or, when the baseline year was not counted, of the city's last twelve months.
 */
export function districtShare(
  city: MonthlySeries,
  district: MonthlySeries,
  baselineYear: number,
  asOf: string,
): DistrictShare {
  const baseCity = sumMonths(city, `${baselineYear}-01`, `${baselineYear}-12`);
  if (baseCity > 0) {
    const base = sumMonths(district, `${baselineYear}-01`, `${baselineYear}-12`);
    return { share: round(base / baseCity, 6), source: 'counted-baseline-year' };
  }
  const lastCity = sumMonths(city, addMonths(asOf, -11), asOf);
  if (lastCity > 0) {
    const last = sumMonths(district, addMonths(asOf, -11), asOf);
    return { share: round(last / lastCity, 6), source: 'last-12-months' };
  }
  return { share: 0, source: 'none' };
}

/** The target a district is held to: the city's, scaled by the district's share. */
export const districtTarget = (t: TargetDefinition, share: DistrictShare): TargetDefinition => ({
  ...t,
  baseline: t.baseline * share.share,
});
