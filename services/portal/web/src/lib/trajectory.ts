// The dashboard's arithmetic. The plan sets a target for the target year against the baseline year;
// the required trajectory is the compound growth that gets there (the plan's "implied 8.8%/year"),
// and the projection extends this year's pace to the year's end.

export interface YearPoint {
  year: number;
  value: number;
}

/** Required value for every year from baseline to target year, compounding evenly. */
export function requiredTrajectory(
  baseline: number,
  target: number,
  baselineYear: number,
  targetYear: number,
): YearPoint[] {
  const span = targetYear - baselineYear;
  if (span <= 0 || baseline <= 0) return [{ year: targetYear, value: target }];
  const rate = Math.pow(target / baseline, 1 / span);
  const points: YearPoint[] = [];
  for (let i = 0; i <= span; i++)
    points.push({ year: baselineYear + i, value: Math.round(baseline * rate ** i) });
  return points;
}

/** Annual growth the trajectory implies, in basis points (8.8% → 880). */
export function impliedAnnualGrowthBp(baseline: number, target: number, years: number): number {
  if (baseline <= 0 || years <= 0) return 0;
  return Math.round((Math.pow(target / baseline, 1 / years) - 1) * 10_000);
}

/**
 * This year's total at the current pace: the count so far scaled by the share of the year elapsed.
 * `elapsedDays` counts today; undefined before any day has passed.
 */
export function projectYear(soFar: number, elapsedDays: number, daysInYear: number): number | undefined {
  if (elapsedDays <= 0) return undefined;
  return Math.round((soFar * daysInYear) / Math.min(elapsedDays, daysInYear));
}

/** Day of the year (1-based) and the year's length for a local date YYYY-MM-DD. */
export function dayOfYear(date: string): { day: number; daysInYear: number; year: number } {
  const year = Number(date.slice(0, 4));
  const start = Date.UTC(year, 0, 1);
  const day = Math.floor((Date.parse(`${date}T00:00:00Z`) - start) / 86_400_000) + 1;
  const daysInYear = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
  return { day, daysInYear, year };
}

/** Share (0..1, may exceed 1) of the year's required value reached so far. */
export const progressShare = (soFar: number, required: number): number =>
  required > 0 ? soFar / required : 0;
