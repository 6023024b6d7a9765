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

/** The last columns of every export: whose figures, and when exported (city time, offset written). */
const EXPORT_HEADER = ['范围 scope', '导出时间 exported at'];

/**
 * One row per month and dimension value, a column per counter field. `exportedAt` is the time of
 * the export as a person in the city reads it, with its offset (`2026-12-03T14:54:03+08:00`).
 */
export function rollupsCsv(table: RollupTable, exportedAt: string): string {
  const fields = [...new Set(table.rows.flatMap((r) => Object.keys(r.fields)))].sort();
  const scope = table.district ?? 'city';
  return toCsv(
    ['月份 month', '指标 metric', '维度 dimension', '取值 value', ...fields, ...EXPORT_HEADER],
    table.rows.map((r) => [
      r.month,
      table.metric,
      table.dim,
      r.value,
      ...fields.map((f) => r.fields[f] ?? 0),
      scope,
      exportedAt,
    ]),
  );
}

/** Every target: its total, then month by month, then by district and by category. */
export function progressCsv(reports: readonly ProgressReport[], asOf: string, exportedAt: string): string {
  const rows: Cell[][] = [];
  for (const p of reports) {
    const scope = p.district?.code ?? 'city';
    const tail = [scope, exportedAt];
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
      ...tail,
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
        ...tail,
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
          ...tail,
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
      ...EXPORT_HEADER,
    ],
    rows,
  );
}
