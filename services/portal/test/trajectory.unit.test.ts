import {
  dayOfYear,
  impliedAnnualGrowthBp,
  progressShare,
  projectYear,
  requiredTrajectory,
} from '../web/src/lib/trajectory';

describe('the required trajectory', () => {
  it('compounds evenly from the baseline to the target (vehicles +40% over 2023-2027)', () => {
    const path = requiredTrajectory(800, 1120, 2023, 2027);
    expect(path.map((p) => p.year)).toEqual([2023, 2024, 2025, 2026, 2027]);
    expect(path[0]!.value).toBe(800);
    expect(path[4]!.value).toBe(1120);
    // 8.8% a year, as the plan's implied growth says.
    expect(path[1]!.value).toBe(870);
    for (let i = 1; i < path.length; i++) expect(path[i]!.value).toBeGreaterThan(path[i - 1]!.value);
  });

  it('implies 8.8%/year for +40% and 6.8%/year for +30% over four years', () => {
    expect(impliedAnnualGrowthBp(800, 1120, 4)).toBe(878);
    expect(impliedAnnualGrowthBp(10_000, 13_000, 4)).toBe(678);
  });

  it('falls back to the target alone without a usable baseline', () => {
    expect(requiredTrajectory(0, 100, 2023, 2027)).toEqual([{ year: 2027, value: 100 }]);
  });
});

describe('the projection of the current year', () => {
  it('scales the count so far by the share of the year elapsed', () => {
    expect(projectYear(100, 73, 365)).toBe(500);
    expect(projectYear(100, 400, 365)).toBe(100);
    expect(projectYear(5, 0, 365)).toBeUndefined();
  });

  it('knows leap years and the day of the year', () => {
    expect(dayOfYear('2028-12-31')).toEqual({ day: 366, daysInYear: 366, year: 2028 });
    expect(dayOfYear('2026-03-01')).toEqual({ day: 60, daysInYear: 365, year: 2026 });
  });

  it('reports progress as a share of what is required', () => {
    expect(progressShare(50, 200)).toBe(0.25);
    expect(progressShare(5, 0)).toBe(0);
  });
});
