// Rollup counters. Several partitions feed one figure and FerretDB v1 does not make updates atomic,
// so each topic partition has its own documents, written only by that partition's consumer and
// guarded by its offset; reads sum the partitions. The counters of one generation, metric and year
// are one collection of (partition, dimension) documents with the months packed (`series-layout.ts`),
// so a read touches the collections of the years it needs and nothing else: its cost depends on the
// years, dimensions and partitions asked for, never on the length of the history.
//
// Packed months cannot be `$inc`ed, so a write reads the document, adds the deltas and replaces it
// (on MongoDB on condition that nobody wrote it in between, `rev`): the same offset guard as
// messaging's `applyOnceByOffset`, with the single writer per partition doing the read-modify-write
// FerretDB would do anyway. On MongoDB the condition is atomic, so even two consumers briefly holding
// one partition during a rebalance cannot count an event twice or lose one. The consumers apply a
// run of events at a time (`applyRun`): each document the run touches is read and written once.
import type { MessagePosition } from '@recycling/messaging';
import { insertManyOnce } from '@recycling/store';
import type { Connection, mongo } from 'mongoose';
import { parseCounterKey, type Fields } from '../domain/facts';
import {
  addCells,
  cellsOf,
  encodeValueKey,
  groupRun,
  parseSeriesCollectionName,
  pendingFor,
  seriesCollectionName,
  seriesDocId,
  sumDocs,
  yearOf,
  yearsBetween,
  type CellDeltas,
  type DocumentRun,
  type PackedCells,
} from '../domain/series-layout';
import { inBatches } from './in-batches';

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

/** Reads and writes of one run in flight at a time. */
const IN_FLIGHT = 8;

type ReadDoc = Pick<SeriesDoc, 'dim' | 'c'> & { metric: string; year: string };

export class CounterStore {
  private conditional: Promise<boolean> | undefined;

  constructor(private readonly connection: Connection) {}

  /**
   * Whether a write is made on condition of the document's `rev`. On MongoDB the condition is atomic
   * and served by the `_id` index. FerretDB v1 applies it by reading and comparing without a lock
   * (decision 8), so it guarantees nothing there, and a filter other than a bare `_id` reads the whole
   * collection (measured: 35 ms a write on a collection of 24 counter documents, 7 ms by `_id`): the
   * single writer per partition is what keeps the counters right on FerretDB, as it always was.
   */
  private writesAreConditional(): Promise<boolean> {
    this.conditional ??= this.connection
      .db!.admin()
      .command({ buildInfo: 1 })
      .then(
        (info) => !('ferretdbVersion' in info),
        () => true,
      );
    return this.conditional;
  }

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
   * Adds one event's deltas (see `applyRun`). The write records the event's offset, so a redelivery
   * skips the documents it already changed and applies the rest (a crash in between).
   */
  async applyDeltas(gen: number, position: MessagePosition, deltas: Map<string, Fields>): Promise<void> {
    await this.applyRun(gen, partitionOf(position), [{ offset: Number(position.offset), deltas }]);
  }

  /**
   * Adds the deltas of a run of events of one partition (each at its offset, in offset order): every
   * document the run touches is read once, takes the sum of what the events above its offset add, and
   * is written once, carrying the highest of those offsets. So a run redelivered in whole or in part,
   * or cut differently (a crash, a rebalance, a batch applied again one event at a time), changes no
   * document twice, even one that a crash left written while others were not.
   *
   * New documents are inserted together (one command per collection); the others are replaced, on
   * MongoDB on condition of their `rev` (see `writesAreConditional`), one command each: FerretDB v1
   * keeps each statement's read of an update command open until the last one ends and slows down with
   * every statement (a hundred took over a minute, measured), while separate commands cost a few
   * milliseconds each. A document written meanwhile by someone else (two consumers during a
   * rebalance; seen on MongoDB, and on an insert anywhere) is read again and its share applied again
   * under the same guard.
   *
   * Returns how many documents were read and how many written.
   */
  async applyRun(
    gen: number,
    part: string,
    run: ReadonlyArray<{ offset: number; deltas: ReadonlyMap<string, Fields> }>,
  ): Promise<{ read: number; written: number }> {
    const conditional = await this.writesAreConditional();
    let pending = groupRun(gen, part, run);
    let read = 0;
    let written = 0;
    while (pending.length > 0) {
      const found = await this.readAll(pending);
      read += pending.length;
      const again: DocumentRun[] = [];
      const inserts = new Map<string, Array<{ doc: SeriesDoc; run: DocumentRun }>>();
      const replaces: Array<{ doc: SeriesDoc; rev: number; run: DocumentRun }> = [];
      for (const [i, docRun] of pending.entries()) {
        const doc = found[i] ?? null;
        const todo = pendingFor(docRun, doc?.offset);
        if (!todo) continue;
        const next: SeriesDoc = {
          _id: docRun._id,
          part,
          dim: docRun.dim,
          c: addCells(doc?.c, todo.add),
          offset: todo.offset,
          rev: (doc?.rev ?? 0) + 1,
        };
        if (doc) {
          replaces.push({ doc: next, rev: doc.rev, run: docRun });
        } else {
          const list = inserts.get(docRun.collection) ?? [];
          list.push({ doc: next, run: docRun });
          inserts.set(docRun.collection, list);
        }
      }
      for (const [name, list] of inserts) {
        const inserted = await insertManyOnce(
          this.connection.collection<SeriesDoc>(name),
          list.map((l) => l.doc),
        );
        for (const l of list) {
          if (inserted.has(l.doc._id)) written += 1;
          else again.push(l.run); // written meanwhile: read it again
        }
      }
      await inBatches(replaces, IN_FLIGHT, async ({ doc, rev, run: docRun }) => {
        const { _id, ...replacement } = doc;
        const result = await this.connection
          .collection<SeriesDoc>(docRun.collection)
          .replaceOne(conditional ? { _id, rev } : { _id }, replacement);
        if (result.matchedCount === 1) written += 1;
        else again.push(docRun);
      });
      pending = again;
    }
    return { read, written };
  }

  /** The documents of a run, by `_id` (one `findOne` each, several in flight), in its order. */
  private async readAll(runs: readonly DocumentRun[]): Promise<Array<SeriesDoc | null>> {
    const out: Array<SeriesDoc | null> = new Array(runs.length).fill(null);
    await inBatches([...runs.entries()], IN_FLIGHT, async ([i, r]) => {
      out[i] = await this.connection.collection<SeriesDoc>(r.collection).findOne({ _id: r._id });
    });
    return out;
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
    const byDim = await this.cellsOfDims(gen, { ...filter, dims: [filter.dim] });
    return (byDim.get(filter.dim) ?? []).map(({ month, value, fields }) => ({ month, value, fields }));
  }

  /**
   * The cells of several dimensions of one metric, summed over partitions: one query per year of
   * the range for all of them (owners' counts name several dimensions at once).
   */
  async cellsOfDims(
    gen: number,
    filter: { metric: string; dims: readonly string[]; from: string; to: string },
  ): Promise<Map<string, Array<{ month: string; value: string; fields: Fields }>>> {
    const docs = await this.load(gen, filter.metric, filter.dims, yearsBetween(filter.from, filter.to));
    const out = new Map<string, Array<{ month: string; value: string; fields: Fields }>>(
      filter.dims.map((d) => [d, []]),
    );
    for (const [key, fields] of sumDocs(docs)) {
      const { month, dim, value } = parseCounterKey(key);
      if (month >= filter.from && month <= filter.to) out.get(dim)?.push({ month, value, fields });
    }
    for (const rows of out.values()) {
      rows.sort((a, b) => a.month.localeCompare(b.month) || a.value.localeCompare(b.value));
    }
    return out;
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
