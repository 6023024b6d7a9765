// CSV for the bureau's reports. A byte-order mark lets spreadsheet programs read the Chinese headers
// as UTF-8.
import { stringify } from 'csv-stringify/sync';

export function toCsv(
  header: string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>,
): string {
  return (
    '\ufeff' +
    stringify([
      header,
      ...rows.map((r) => r.map((v) => (v === null ? '' : typeof v === 'boolean' ? String(v) : v))),
    ])
  );
}
