import { districtShare, districtTarget } from '../src/domain/progress';
import { localDateTime } from '@recycling/contracts';
import { metricOfIntakeLine, Metrics } from '../src/domain/record-rules';
import { countedByDistrict } from '../src/domain/districts';

describe('the catalogue decides what counts as a household appliance', () => {
  it('keeps production equipment out of the appliances', () => {
    expect(metricOfIntakeLine('textile-machinery')).toBe(Metrics.equipment);
    expect(metricOfIntakeLine('pv-inverter')).toBe(Metrics.equipment);
    expect(metricOfIntakeLine('refrigerator')).toBe(Metrics.appliances);
    expect(metricOfIntakeLine('laptop')).toBe(Metrics.appliances);
  });
});

describe('a district’s share of the city target', () => {
  const city = { '2023-01': 6, '2023-07': 4, '2025-01': 10 };
  it('is its part of the counted baseline year', () => {
    expect(districtShare(city, { '2023-01': 3 }, 2023, '2025-02')).toEqual({
      share: 0.3,
      source: 'counted-baseline-year',
    });
  });
  it('else its part of the last twelve months', () => {
    expect(districtShare({ '2025-01': 8 }, { '2025-01': 2 }, 2023, '2025-02')).toEqual({
      share: 0.25,
      source: 'last-12-months',
    });
  });
  it('is nothing when the city counted nothing', () => {
    expect(districtShare({}, {}, 2023, '2025-02')).toEqual({ share: 0, source: 'none' });
  });
  it('scales the baseline and keeps the growth', () => {
    const target = { metric: 'm', baseline: 800, baselineYear: 2023, targetYear: 2027, growthBp: 4000 };
    expect(districtTarget(target, { share: 0.25, source: 'counted-baseline-year' })).toEqual({
      ...target,
      baseline: 200,
    });
  });
  it('exists only for metrics counted by district', () => {
    expect(countedByDistrict('appliances')).toBe(true);
    expect(countedByDistrict('subsidies')).toBe(true);
    expect(countedByDistrict('invoices')).toBe(false);
  });
});

describe('times a person reads', () => {
  it('are in the city time zone with the offset written', () => {
    expect(localDateTime(new Date('2025-03-31T17:00:00Z'), 'Asia/Shanghai')).toBe(
      '2025-04-01T01:00:00+08:00',
    );
    expect(localDateTime(new Date('2025-01-01T00:00:00.900Z'), 'Asia/Shanghai')).toBe(
      '2025-01-01T08:00:00+08:00',
    );
    expect(localDateTime(new Date('2025-07-01T12:00:00Z'), 'UTC')).toBe('2025-07-01T12:00:00+00:00');
  });
});
