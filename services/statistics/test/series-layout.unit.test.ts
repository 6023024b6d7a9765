import { expandFacts, type Fact } from '../src/domain/facts';
import {
  addCells,
  cellsOf,
  decodeValueKey,
  encodeValueKey,
  groupDeltas,
  packMonths,
  type PackedCells,
  parseSeriesCollectionName,
  seriesCollectionName,
  sumDocs,
  unpackMonths,
  yearsBetween,
} from '../src/domain/series-layout';

const fact = (month: string, dims: Record<string, string>, fields: Record<string, number>): Fact => ({
  metric: 'appliances',
  month,
  dims,
  fields,
});

describe('packed months', () => {
  it('packs twelve integers January first, leaving out trailing zeros', () => {
    expect(packMonths([3, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('3,0,5');
    expect(packMonths(new Array(12).fill(0))).toBe('');
    expect(packMonths([-2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7])).toBe('-2,0,0,0,0,0,0,0,0,0,0,7');
    expect(unpackMonths('3,0,5')).toEqual([3, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(unpackMonths('')).toEqual(new Array(12).fill(0));
    expect(unpackMonths(undefined)).toEqual(new Array(12).fill(0));
  });

  it('keeps a value from addressing another field', () => {
    for (const v of ['t01', 'a.b', '$gt', '100%', 'x.$y%2E']) {
      expect(encodeValueKey(v)).not.toMatch(/[.$]/);
      expect(decodeValueKey(encodeValueKey(v))).toBe(v);
    }
    expect(encodeValueKey('s-xingfulu')).toBe('s-xingfulu');
  });
});

describe('where a cell lives', () => {
  it('names one collection per generation, metric and year, and reads the name back', () => {
    expect(seriesCollectionName(3, 'vehicle-certificates', '2025')).toBe(
      'rollups.g3.vehicle-certificates.2025',
    );
    expect(parseSeriesCollectionName('rollups.g3.vehicle-certificates.2025')).toEqual({
      gen: 3,
      metric: 'vehicle-certificates',
      year: '2025',
    });
    expect(parseSeriesCollectionName('rollup_counters')).toBeUndefined();
    expect(parseSeriesCollectionName('rollups.g1.appliances.2025.x')).toBeUndefined();
  });

  it('groups an event into one update per (year, dimension) document of its partition', () => {
    const deltas = expandFacts([
      fact('2025-12', { district: 't01', category: 'television' }, { units: 2, grams: 40_000 }),
      fact('2026-01', { district: 't01', category: 'refrigerator' }, { units: 1, grams: 50_000 }),
    ]);
    const updates = groupDeltas(1, 'recycling.intakes.v1~4', deltas);
    expect(updates.map((u) => `${u.collection} ${u._id}`)).toEqual([
      'rollups.g1.appliances.2025 recycling.intakes.v1~4|all',
      'rollups.g1.appliances.2025 recycling.intakes.v1~4|category',
      'rollups.g1.appliances.2025 recycling.intakes.v1~4|district',
      'rollups.g1.appliances.2026 recycling.intakes.v1~4|all',
      'rollups.g1.appliances.2026 recycling.intakes.v1~4|category',
      'rollups.g1.appliances.2026 recycling.intakes.v1~4|district',
    ]);
    expect(updates[1]!.add).toEqual({ television: { units: { 11: 2 }, grams: { 11: 40_000 } } });
    expect(updates[3]!.add).toEqual({ all: { units: { 0: 1 }, grams: { 0: 50_000 } } });
  });

  it('adds deltas into packed cells without touching the input, and back out to zero', () => {
    const before = { t01: { units: '1,2' }, t02: { units: '5' } };
    const after = addCells(before, { t01: { units: { 1: 3, 11: 1 } }, t03: { grams: { 2: 100 } } });
    expect(after).toEqual({
      t01: { units: '1,5,0,0,0,0,0,0,0,0,0,1' },
      t02: { units: '5' },
      t03: { grams: '0,0,100' },
    });
    expect(before).toEqual({ t01: { units: '1,2' }, t02: { units: '5' } });
    expect(addCells(after, { t03: { grams: { 2: -100 } } }).t03).toEqual({ grams: '' });
  });

  it('reads documents of several partitions back into summed non-zero cells', () => {
    const docs: Array<{ metric: string; dim: string; year: string; c: PackedCells }> = [
      {
        metric: 'appliances',
        dim: 'district',
        year: '2025',
        c: { t01: { units: '1,0,2' }, 'a%2Eb': { units: '4' } },
      },
      { metric: 'appliances', dim: 'district', year: '2025', c: { t01: { units: '0,0,3', grams: '' } } },
    ];
    expect([...cellsOf(docs[0]!)]).toEqual([
      { month: '2025-01', value: 't01', field: 'units', n: 1 },
      { month: '2025-03', value: 't01', field: 'units', n: 2 },
      { month: '2025-01', value: 'a.b', field: 'units', n: 4 },
    ]);
    expect(Object.fromEntries(sumDocs(docs))).toEqual({
      'appliances|2025-01|district|t01': { units: 1 },
      'appliances|2025-03|district|t01': { units: 5 },
      'appliances|2025-01|district|a.b': { units: 4 },
    });
  });

  it('lists the years of a range', () => {
    expect(yearsBetween('2023-11', '2025-02')).toEqual(['2023', '2024', '2025']);
    expect(yearsBetween('2025-01', '2025-12')).toEqual(['2025']);
  });
});
