// CSV for the bureau's reports. A byte-order mark lets spreadsheet programs read the Chinese headers
// as UTF-8.
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import type { ProgressReport } from '../app/progress';
import type { RollupTable } from '../app/rollups';

type Cell = string | number | boolean | null;

export function toCsv(header: string[], rows: ReadonlyArray<ReadonlyArray<Cell>>): string {
  return (
    '\ufeff' +
    stringify([
      header,
      ...rows.map((r) => r.map((v) => (v === null ? '' : typeof v === 'boolean' ? String(v) : v))),
    ])
  );
}

/** Sends a CSV as a download. */
export function sendCsv(res: Response, filename: string, csv: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.send(csv);
}

/** One row per month and dimension value, a column per counter field. */
export function rollupsCsv(table: RollupTable): string {
  const fields = [...new Set(table.rows.flatMap((r) => Object.keys(r.fields)))].sort();
  return toCsv(
    ['月份 month', '指标 metric', '维度 dimension', '取值 value', ...fields],
    table.rows.map((r) => [
      r.month,
      table.metric,
      table.dim,
      r.value,
      ...fields.map((f) => r.fields[f] ?? 0),
    ]),
  );
}

/** Every target: its total, then month by month, then by district and by category. */
export function progressCsv(reports: readonly ProgressReport[], asOf: string): string {
  const rows: Cell[][] = [];
  for (const p of reports) {
    rows.push([
      p.metric,
      p.name.zh,
      'total',
      asOf,
      p.yearToDate,
      p.baselineSamePeriod,
      p.growthVsBaseline,
      p.requiredYearToDate,
      p.projectedTargetYear,
      p.target.targetValue,
      p.onTrack,
    ]);
    for (const m of p.byMonth) {
      rows.push([
        p.metric,
        p.name.zh,
        'month',
        m.month,
        m.actual,
        m.baselineYearSameMonth,
        null,
        m.required,
        null,
        null,
        null,
      ]);
    }
    for (const [section, list] of [
      ['district', p.byDistrict ?? []],
      ['category', p.byCategory ?? []],
    ] as const) {
      for (const r of list) {
        rows.push([
          p.metric,
          p.name.zh,
          section,
          r.value,
          r.yearToDate,
          r.baselineSamePeriod,
          r.growthVsBaseline,
          null,
          null,
          null,
          r.lagging === null ? null : !r.lagging,
        ]);
      }
    }
  }
  return toCsv(
    [
      '指标 metric',
      '名称 name',
      '分组 section',
      '键 key',
      '本年累计 year to date',
      '基期同期 baseline same period',
      '同比增长 growth',
      '应达累计 required',
      '预测目标年 projected target year',
      '目标值 target value',
      '达标 on track',
    ],
    rows,
  );
}
