// Where a counter cell lives in the store, as pure functions. The counters of one generation, metric
// and year are one small collection, `rollups.g<gen>.<metric>.<year>`, holding one document per
// (topic partition, dimension) with `_id` `<partition>|<dimension>`: for each value of the dimension
// and each field, the year's twelve monthly figures packed in one string, `c[value][field] = "3,0,5"`
// (January first, trailing zeros left out).
//
// Why this shape, measured on FerretDB 1.24 (SQLite backend):
// - it serves no query from an index: an `_id` equality is pushed down to SQLite as
//   `_ferretdb_sjson->'$._id' = ?`, which does not match the index on `_ferretdb_sjson->"_id"`, so
//   SQLite reads the whole table; every other filter (an `$in`, even of `_id`) is applied in Go to
//   every document. The cost of any read grows with the collection it reads, so the collection a
//   read touches must be small whatever the history: one per generation, metric and year.
// - converting a document costs per field, not per byte: a year of 20 districts x 3 fields as nested
//   `{ "01": n }` objects (720 numbers) takes about 23 ms to read, packed as 60 strings about 4 ms.
// A progress report then reads, for each year it needs (at most four), the documents of three
// dimensions of every partition from a collection of (dimensions x partitions) documents.
import { counterKeyString, parseCounterKey, type Fields } from './facts';

/** `c[encoded value][field]`: the year's monthly figures, packed (see `packMonths`). */
export type PackedCells = Record<string, Record<string, string>>;

/** Monthly deltas of one document: encoded value -> field -> month index 0..11 -> delta. */
export type CellDeltas = Record<string, Record<string, Record<number, number>>>;

const COLLECTION_PREFIX = 'rollups.g';

export const seriesCollectionName = (gen: number, metric: string, year: string): string =>
  `${COLLECTION_PREFIX}${gen}.${metric}.${year}`;

/** The generation, metric and year of a counters collection, or undefined for any other collection. */
export function parseSeriesCollectionName(
  name: string,
): { gen: number; metric: string; year: string } | undefined {
  const m = /^rollups\.g(\d+)\.([a-z][a-z0-9-]*)\.(\d{4})$/.exec(name);
  return m ? { gen: Number(m[1]), metric: m[2]!, year: m[3]! } : undefined;
}

export const seriesDocId = (part: string, dim: string): string => `${part}|${dim}`;

/**
 * A value as a field name: `.` would be read as a path and a leading `$` as an operator, so they (and
 * `%`, the escape itself) are percent-encoded. Values are codes (districts, categories, enterprise
 * ids), so this almost never changes anything, but a value is data from an event and must not be able
 * to address another field.
 */
export const encodeValueKey = (value: string): string =>
  value.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

export const decodeValueKey = (key: string): string =>
  key.replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Twelve monthly integers as `"3,0,5"`: January first, trailing zeros left out (`""` is all zero). */
export function packMonths(months: readonly number[]): string {
  let end = months.length;
  while (end > 0 && !months[end - 1]) end--;
  return months
    .slice(0, end)
    .map((n) => String(n || 0))
    .join(',');
}

export function unpackMonths(packed: string | undefined): number[] {
  const out = new Array<number>(12).fill(0);
  if (!packed) return out;
  packed.split(',').forEach((s, i) => {
    if (i < 12) out[i] = Number(s) || 0;
  });
  return out;
}

export const yearOf = (month: string): string => month.slice(0, 4);
const monthIndexOf = (month: string): number => Number(month.slice(5, 7)) - 1;

export interface SeriesUpdate {
  collection: string;
  _id: string;
  metric: string;
  dim: string;
  year: string;
  add: CellDeltas;
}

/**
 * Groups one event's cell deltas (keyed by `counterKeyString`) into one update per document, in a
 * stable order: a redelivery after a crash walks the same documents in the same order.
 */
export function groupDeltas(gen: number, part: string, deltas: ReadonlyMap<string, Fields>): SeriesUpdate[] {
  const updates = new Map<string, SeriesUpdate>();
  for (const [cellKey, fields] of deltas) {
    const { metric, month, dim, value } = parseCounterKey(cellKey);
    const year = yearOf(month);
    const collection = seriesCollectionName(gen, metric, year);
    const _id = seriesDocId(part, dim);
    const key = `${collection}/${_id}`;
    const update = updates.get(key) ?? { collection, _id, metric, dim, year, add: {} };
    const byField = (update.add[encodeValueKey(value)] ??= {});
    for (const [field, v] of Object.entries(fields)) {
      const byMonth = (byField[field] ??= {});
      byMonth[monthIndexOf(month)] = (byMonth[monthIndexOf(month)] ?? 0) + v;
    }
    updates.set(key, update);
  }
  const order = (u: SeriesUpdate) => `${u.collection}/${u._id}`;
  return [...updates.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Adds `add` into `into` (both monthly deltas of one document); returns `into`. */
export function mergeCellDeltas(into: CellDeltas, add: CellDeltas): CellDeltas {
  for (const [value, byField] of Object.entries(add)) {
    const target = (into[value] ??= {});
    for (const [field, byMonth] of Object.entries(byField)) {
      const months = (target[field] ??= {});
      for (const [i, delta] of Object.entries(byMonth)) months[Number(i)] = (months[Number(i)] ?? 0) + delta;
    }
  }
  return into;
}

/** One document's share of a run of events: what each event adds to it, in offset order. */
export interface DocumentRun {
  collection: string;
  _id: string;
  dim: string;
  entries: Array<{ offset: number; add: CellDeltas }>;
}

/**
 * Groups the cell deltas of a run of events of one partition (each at its offset, in offset order)
 * by document, in the stable order of `groupDeltas`: each document is then read once and written
 * once for the whole run, and still knows which event added what, for its offset guard.
 */
export function groupRun(
  gen: number,
  part: string,
  run: ReadonlyArray<{ offset: number; deltas: ReadonlyMap<string, Fields> }>,
): DocumentRun[] {
  const docs = new Map<string, DocumentRun>();
  for (const { offset, deltas } of run) {
    for (const u of groupDeltas(gen, part, deltas)) {
      const key = `${u.collection}/${u._id}`;
      const doc = docs.get(key) ?? { collection: u.collection, _id: u._id, dim: u.dim, entries: [] };
      doc.entries.push({ offset, add: u.add });
      docs.set(key, doc);
    }
  }
  const order = (d: DocumentRun) => `${d.collection}/${d._id}`;
  return [...docs.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/**
 * What a document must take from its share of a run, given the offset it carries: the events above
 * that offset (those at or below it are in it already: a redelivery, or a run cut differently before
 * a crash), summed, and the offset it carries afterwards. Undefined when it has them all.
 */
export function pendingFor(
  run: Pick<DocumentRun, 'entries'>,
  appliedUpTo: number | undefined,
): { add: CellDeltas; offset: number } | undefined {
  const fresh = run.entries.filter((e) => appliedUpTo === undefined || e.offset > appliedUpTo);
  if (fresh.length === 0) return undefined;
  const add: CellDeltas = {};
  for (const e of fresh) mergeCellDeltas(add, e.add);
  return { add, offset: Math.max(...fresh.map((e) => e.offset)) };
}

/** The document's cells with the deltas added; the input is left as it was. */
export function addCells(cells: PackedCells | undefined, add: CellDeltas): PackedCells {
  const out: PackedCells = {};
  for (const [value, byField] of Object.entries(cells ?? {})) out[value] = { ...byField };
  for (const [value, byField] of Object.entries(add)) {
    const target = (out[value] ??= {});
    for (const [field, byMonth] of Object.entries(byField)) {
      const months = unpackMonths(target[field]);
      for (const [i, delta] of Object.entries(byMonth)) months[Number(i)]! += delta;
      target[field] = packMonths(months);
    }
  }
  return out;
}

/** The years from `from` to `to` (both months), ascending. */
export function yearsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let y = Number(yearOf(from)); y <= Number(yearOf(to)); y++) out.push(String(y).padStart(4, '0'));
  return out;
}

/** The non-zero cells of one document as (month, value, field, n); a zero and an absent cell are alike. */
export function* cellsOf(doc: {
  year: string;
  c?: PackedCells;
}): Generator<{ month: string; value: string; field: string; n: number }> {
  for (const [valueKey, byField] of Object.entries(doc.c ?? {})) {
    const value = decodeValueKey(valueKey);
    for (const [field, packed] of Object.entries(byField)) {
      const months = packed ? packed.split(',') : [];
      for (let i = 0; i < months.length && i < 12; i++) {
        const n = Number(months[i]) || 0;
        if (n !== 0) yield { month: `${doc.year}-${String(i + 1).padStart(2, '0')}`, value, field, n };
      }
    }
  }
}

/** Sums documents (of any partitions) into cells keyed by `counterKeyString`. */
export function sumDocs(
  docs: Iterable<{ metric: string; dim: string; year: string; c?: PackedCells }>,
): Map<string, Fields> {
  const out = new Map<string, Fields>();
  for (const doc of docs) {
    for (const { month, value, field, n } of cellsOf(doc)) {
      const key = counterKeyString({ metric: doc.metric, month, dim: doc.dim, value });
      const row = out.get(key) ?? {};
      row[field] = (row[field] ?? 0) + n;
      out.set(key, row);
    }
  }
  return out;
}
