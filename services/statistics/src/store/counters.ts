// Rollup counters. Several partitions feed one figure and FerretDB v1 does not make updates atomic,
// so each topic partition has its own documents, written only by that partition's consumer and
// guarded by its offset; reads sum the partitions. The counters of one generation, metric and year
// are one collection of (partition, dimension) documents with the months packed (`series-layout.ts`),
// so a read touches the collections of the years it needs and nothing else: its cost depends on the
// years, dimensions and partitions asked for, never on the length of the history.
//
// Packed months cannot be `$inc`ed, so a write reads the document, adds the deltas and replaces it on
// condition that nobody wrote it in between (`rev`): the same offset guard as messaging's
// `applyOnceByOffset`, with the single writer per partition doing the read-modify-write FerretDB would
// do anyway. On MongoDB the condition is atomic, so even two consumers briefly holding one partition
// during a rebalance cannot count an event twice or lose one.
import type { MessagePosition } from '@recycling/messaging';
import { insertOnce } from '@recycling/store';
import type { Connection, mongo } from 'mongoose';
import { parseCounterKey, type Fields } from '../domain/facts';
import {
  addCells,
  cellsOf,
  encodeValueKey,
  groupDeltas,
  parseSeriesCollectionName,
  seriesCollectionName,
  seriesDocId,
  sumDocs,
  yearOf,
  yearsBetween,
  type CellDeltas,
  type PackedCells,
  type SeriesUpdate,
} from '../domain/series-layout';

/** One document per cell and month, before the yearly collections; migrated at start (see `migrateLegacy`). */
export const LEGACY_COUNTERS_COLLECTION = 'rollup_counters';

export interface SeriesDoc {
  /** `<topic>~<partition>|<dimension>`. */
  _id: string;
  part: string;
  dim: string;
  c: PackedCells;
  /** Offset of the last event of its partition applied here: a redelivery at or below it changes nothing. */
  offset: number;
  /** Incremented by every write, which is conditional on it. */
  rev: number;
}

interface LegacyCounterDoc {
  _id: string;
  gen: number;
  part: string;
  metric: string;
  month: string;
  dim: string;
  value: string;
  v?: Fields;
  watermarks?: Record<string, number>;
}

export const partitionOf = (p: Pick<MessagePosition, 'topic' | 'partition'>): string =>
  `${p.topic}~${p.partition}`;

const READ_PROJECTION = { dim: 1, c: 1 } as const;

type ReadDoc = Pick<SeriesDoc, 'dim' | 'c'> & { metric: string; year: string };

export class CounterStore {
  constructor(private readonly connection: Connection) {}

  /** The collection of one generation, metric and year (created by its first write). */
  collection(gen: number, metric: string, year: string): mongo.Collection<SeriesDoc> {
    return this.connection.collection<SeriesDoc>(seriesCollectionName(gen, metric, year));
  }

  /** Every counters collection of a generation. */
  private async collectionsOf(gen: number): Promise<Array<{ name: string; metric: string; year: string }>> {
    const names = await this.connection.db!.listCollections({}, { nameOnly: true }).toArray();
    return names.flatMap(({ name }) => {
      const parsed = parseSeriesCollectionName(name);
      return parsed && parsed.gen === gen ? [{ name, metric: parsed.metric, year: parsed.year }] : [];
    });
  }

  /**
   * Adds one event's deltas, one write per document. Each write records the event's offset, so a
   * redelivery skips the documents it already changed and applies the rest (a crash in between).
   */
  async applyDeltas(gen: number, position: MessagePosition, deltas: Map<string, Fields>): Promise<void> {
    const part = partitionOf(position);
    const offset = Number(position.offset);
    for (const u of groupDeltas(gen, part, deltas)) await this.applyOnce(part, offset, u);
  }

  private async applyOnce(part: string, offset: number, u: SeriesUpdate): Promise<'applied' | 'duplicate'> {
    const collection = this.connection.collection<SeriesDoc>(u.collection);
    for (;;) {
      const doc = await collection.findOne({ _id: u._id });
      if (doc && doc.offset >= offset) return 'duplicate';
      const c = addCells(doc?.c, u.add);
      if (!doc) {
        const inserted = await insertOnce(collection, { _id: u._id, part, dim: u.dim, c, offset, rev: 1 });
        if (inserted) return 'applied';
        continue; // written meanwhile: read it again
      }
      const result = await collection.replaceOne(
        { _id: u._id, rev: doc.rev },
        { part, dim: u.dim, c, offset, rev: doc.rev + 1 },
      );
      if (result.matchedCount === 1) return 'applied';
    }
  }

  /** The documents of `metric` for these dimensions and years, of every partition: one query a year. */
  private async load(
    gen: number,
    metric: string,
    dims: readonly string[],
    years: readonly string[],
  ): Promise<ReadDoc[]> {
    const perYear = await Promise.all(
      years.map(async (year) => {
        const docs = await this.collection(gen, metric, year)
          .find({ dim: { $in: [...dims] } }, { projection: READ_PROJECTION })
          .toArray();
        return docs.map((d) => ({ dim: d.dim, c: d.c, metric, year }));
      }),
    );
    return perYear.flat();
  }

  /**
   * One field summed over partitions: dimension -> value -> month -> total, for every month of the
   * given years (the progress report asks for the baseline year and the last two or three years).
   */
  async seriesByDim(
    gen: number,
    metric: string,
    dims: readonly string[],
    field: string,
    years: readonly string[],
  ): Promise<Map<string, Map<string, Map<string, number>>>> {
    const docs = await this.load(gen, metric, dims, years);
    const out = new Map<string, Map<string, Map<string, number>>>(dims.map((d) => [d, new Map()]));
    for (const doc of docs) {
      const byValue = out.get(doc.dim) ?? new Map<string, Map<string, number>>();
      for (const cell of cellsOf(doc)) {
        if (cell.field !== field) continue;
        const byMonth = byValue.get(cell.value) ?? new Map<string, number>();
        byMonth.set(cell.month, (byMonth.get(cell.month) ?? 0) + cell.n);
        byValue.set(cell.value, byMonth);
      }
      out.set(doc.dim, byValue);
    }
    return out;
  }

  /** All fields of a metric's cells summed over partitions, for tables and exports. */
  async cells(
    gen: number,
    filter: { metric: string; dim: string; from: string; to: string },
  ): Promise<Array<{ month: string; value: string; fields: Fields }>> {
    const docs = await this.load(gen, filter.metric, [filter.dim], yearsBetween(filter.from, filter.to));
    const rows: Array<{ month: string; value: string; fields: Fields }> = [];
    for (const [key, fields] of sumDocs(docs)) {
      const { month, value } = parseCounterKey(key);
      if (month >= filter.from && month <= filter.to) rows.push({ month, value, fields });
    }
    return rows.sort((a, b) => a.month.localeCompare(b.month) || a.value.localeCompare(b.value));
  }

  /**
   * Every non-zero cell of a generation summed over partitions, keyed by `counterKeyString`
   * (reconciliation: it reads the whole generation, so it is not a request-path read).
   */
  async allCells(gen: number): Promise<Map<string, Fields>> {
    const docs: ReadDoc[] = [];
    for (const { name, metric, year } of await this.collectionsOf(gen)) {
      const found = await this.connection
        .collection<SeriesDoc>(name)
        .find({}, { projection: READ_PROJECTION })
        .toArray();
      for (const d of found) docs.push({ dim: d.dim, c: d.c, metric, year });
    }
    return sumDocs(docs);
  }

  /** Removes a generation's counters (it was retired or discarded and answers no read). */
  async purge(gen: number): Promise<number> {
    const collections = await this.collectionsOf(gen);
    for (const { name } of collections) await this.connection.dropCollection(name).catch(() => undefined);
    return collections.length;
  }

  /**
   * Moves counters of the earlier layout (one document per cell and month, in `rollup_counters`) into
   * the yearly collections, then drops the old collection. Runs at start, before any consumer, so it
   * is the only writer; re-running after a crash rewrites the same documents. A yearly document takes
   * the highest offset of its cells: exact whenever the previous process stopped between events (a
   * crash in the middle of an event could leave that event uncounted in some cells, which
   * reconciliation with a rebuild would show). Replicas still running the earlier version must be
   * stopped first: what they write to the old collection afterwards is not moved.
   */
  async migrateLegacy(): Promise<{ cells: number; documents: number }> {
    const legacy = this.connection.collection<LegacyCounterDoc>(LEGACY_COUNTERS_COLLECTION);
    if (!(await legacy.findOne({}))) return { cells: 0, documents: 0 };
    const docs = new Map<string, { collection: string; doc: SeriesDoc; add: CellDeltas }>();
    let cells = 0;
    for await (const d of legacy.find({})) {
      cells += 1;
      const collection = seriesCollectionName(d.gen, d.metric, yearOf(d.month));
      const _id = seriesDocId(d.part, d.dim);
      const entry = docs.get(`${collection}/${_id}`) ?? {
        collection,
        doc: { _id, part: d.part, dim: d.dim, c: {}, offset: -1, rev: 1 },
        add: {},
      };
      const byField = (entry.add[encodeValueKey(d.value)] ??= {});
      const month = Number(d.month.slice(5, 7)) - 1;
      for (const [field, n] of Object.entries(d.v ?? {})) {
        const byMonth = (byField[field] ??= {});
        byMonth[month] = (byMonth[month] ?? 0) + n;
      }
      for (const offset of Object.values(d.watermarks ?? {})) {
        entry.doc.offset = Math.max(entry.doc.offset, offset);
      }
      docs.set(`${collection}/${_id}`, entry);
    }
    for (const { collection, doc, add } of docs.values()) {
      await this.connection
        .collection<SeriesDoc>(collection)
        .replaceOne({ _id: doc._id }, { ...doc, c: addCells({}, add) }, { upsert: true });
    }
    await legacy.drop();
    return { cells, documents: docs.size };
  }
}
