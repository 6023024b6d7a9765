import {
  breakdownRows,
  computeProgress,
  monthlyRows,
  requiredAnnualGrowth,
  targetValueOf,
  type TargetDefinition,
} from '../src/domain/progress';

// Scrapped vehicles: 800 in 2023, +40% by 2027.
const vehicles: TargetDefinition = {
  metric: 'scrapped-vehicles',
  baseline: 800,
  baselineYear: 2023,
  targetYear: 2027,
  growthBp: 4000,
};

const months = (year: number, values: number[]): Record<string, number> =>
  Object.fromEntries(values.map((v, i) => [`${year}-${String(i + 1).padStart(2, '0')}`, v]));

describe('target arithmetic', () => {
  it('grows the baseline to the target value and derives the compound annual growth', () => {
    expect(targetValueOf(vehicles)).toBe(1120);
    // 1.4^(1/4) = 1.087757 (domain.md: 8.8 % a year)
    expect(requiredAnnualGrowth(vehicles)).toBeCloseTo(0.087757, 5);
    // +30% over four years: 1.3^(1/4) = 1.067789
    expect(requiredAnnualGrowth({ ...vehicles, growthBp: 3000 })).toBeCloseTo(0.067789, 5);
  });
});

describe('computeProgress with a counted baseline year', () => {
  // 2023: 40 a month in Jan-Jun, 60 in Jul-Dec (600); 2024: 50 a month; 2025: 55 a month to June.
  const series = {
    ...months(2023, [40, 40, 40, 40, 40, 40, 60, 60, 60, 60, 60, 60]),
    ...months(2024, Array(12).fill(50)),
    ...months(2025, [55, 55, 55, 55, 55, 55]),
  };
  const p = computeProgress(vehicles, series, '2025-06');

  it('compares the year to date with the same months of the baseline year', () => {
    expect(p.yearToDate).toBe(330); // 6 x 55
    expect(p.baselineSamePeriod).toBe(240); // 6 x 40
    expect(p.baselineSamePeriodSource).toBe('counted-baseline-year');
    expect(p.growthVsBaseline).toBeCloseTo(0.375, 6); // 330 / 240 - 1
  });

  it('puts the required trajectory on the baseline year seasonality', () => {
    // 800 x 1.4^(2/4) = 946.5728; share by June = 240 / 600 = 0.4
    expect(p.requiredForYear).toBeCloseTo(946.57, 2);
    expect(p.requiredYearToDate).toBeCloseTo(378.63, 2);
    expect(p.aheadOfTrajectory).toBe(false);
  });

  it('projects the last twelve months with their trend to the end of the target year', () => {
    expect(p.last12Months).toBe(630); // Jul-Dec 2024 at 50, Jan-Jun 2025 at 55
    expect(p.previous12Months).toBe(660); // Jul-Dec 2023 at 60, Jan-Jun 2024 at 50
    expect(p.trendGrowth).toBeCloseTo(-0.045455, 5); // 630 / 660 - 1
    // 30 months to the end of 2027: 630 x (630/660)^2.5 = 560.83
    expect(p.projectedTargetYear).toBeCloseTo(560.83, 1);
    expect(p.projectedCurrentYear).toBeCloseTo(825, 6); // 330 / 0.4
    expect(p.onTrack).toBe(false);
  });

  it('shows each month against the same month of the baseline year and its share of the trajectory', () => {
    const rows = monthlyRows(vehicles, series, '2025-06');
    expect(rows).toHaveLength(6);
    // 946.5728 x 40 / 600 = 63.10
    expect(rows[0]).toEqual({ month: '2025-01', actual: 55, baselineYearSameMonth: 40, required: 63.1 });
  });

  it('marks districts whose growth is below what the city needs by now', () => {
    const byDistrict = new Map([
      ['t01', { ...months(2023, [10, 10, 10, 10, 10, 10]), ...months(2025, [20, 20, 20, 20, 20, 20]) }],
      ['t02', { ...months(2023, [30, 30, 30, 30, 30, 30]), ...months(2025, [35, 35, 35, 35, 35, 35]) }],
      ['t03', months(2025, [1])],
    ]);
    // The city needs 378.63 / 240 - 1 = +57.8 % by June.
    const rows = breakdownRows(p, byDistrict, 2023);
    expect(rows).toEqual([
      { value: 't01', yearToDate: 120, baselineSamePeriod: 60, growthVsBaseline: 1, lagging: false },
      { value: 't02', yearToDate: 210, baselineSamePeriod: 180, growthVsBaseline: 0.166667, lagging: true },
      { value: 't03', yearToDate: 1, baselineSamePeriod: 0, growthVsBaseline: null, lagging: null },
    ]);
  });
});

describe('computeProgress without a counted baseline year', () => {
  it('uses the configured baseline pro rata and a flat projection when there is no trend yet', () => {
    const p = computeProgress(vehicles, months(2025, [70, 70, 70]), '2025-03');
    expect(p.yearToDate).toBe(210);
    expect(p.baselineSamePeriod).toBe(200); // 800 x 3 / 12
    expect(p.baselineSamePeriodSource).toBe('pro-rata');
    expect(p.requiredYearToDate).toBeCloseTo(236.64, 2); // 946.5728 x 0.25
    expect(p.trendGrowth).toBeNull();
    expect(p.projectedTargetYear).toBe(210);
    expect(p.onTrack).toBe(false);
  });

  it('is on track when the trend carries the last twelve months past the target', () => {
    // 2024: 100 a month; 2025: 110 a month -> trend +10 %; 1320 x 1.1^2 = 1597.2 >= 1120
    const p = computeProgress(
      vehicles,
      { ...months(2024, Array(12).fill(100)), ...months(2025, Array(12).fill(110)) },
      '2025-12',
    );
    expect(p.trendGrowth).toBeCloseTo(0.1, 6);
    expect(p.projectedTargetYear).toBeCloseTo(1597.2, 1);
    expect(p.onTrack).toBe(true);
  });
});
