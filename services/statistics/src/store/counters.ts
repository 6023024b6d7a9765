// Rollup counters. One document per (generation, topic partition, metric, month, dimension, value):
// several partitions feed one figure, and FerretDB v1 does not make `$inc` atomic, so each partition
// has its own document, written only by the consumer of that partition and guarded by its offset
// watermark. Reads sum the partition documents of a cell (at most one per partition).
import { applyOnceByOffset, type MessagePosition } from '@recycling/messaging';
import type { Connection, mongo } from 'mongoose';
import { parseCounterKey, type Fields } from '../domain/facts';

export const COUNTERS_COLLECTION = 'rollup_counters';

export interface CounterDoc {
  _id: string;
  gen: number;
  part: string;
  metric: string;
  month: string;
  dim: string;
  value: string;
  v: Fields;
  watermarks?: Record<string, number>;
}

export const partitionOf = (p: Pick<MessagePosition, 'topic' | 'partition'>): string =>
  `${p.topic}~${p.partition}`;

export const counterId = (gen: number, part: string, cellKey: string): string => `${gen}|${part}|${cellKey}`;

export class CounterStore {
  readonly collection: mongo.Collection<CounterDoc>;

  constructor(connection: Connection) {
    this.collection = connection.collection<CounterDoc>(COUNTERS_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ gen: 1, metric: 1, dim: 1, month: 1 });
  }

  /**
   * Adds one event's deltas, one update per cell. Each update carries the event's offset, so a
   * redelivery skips the cells it already changed and applies the rest (a crash between cells).
   */
  async applyDeltas(gen: number, position: MessagePosition, deltas: Map<string, Fields>): Promise<void> {
    const part = partitionOf(position);
    for (const [cellKey, fields] of deltas) {
      const { metric, month, dim, value } = parseCounterKey(cellKey);
      const inc: Record<string, number> = {};
      for (const [name, v] of Object.entries(fields)) inc[`v.${name}`] = v;
      await applyOnceByOffset(this.collection, { _id: counterId(gen, part, cellKey) }, position, {
        $inc: inc,
        $set: { gen, part, metric, month, dim, value },
      } as mongo.UpdateFilter<CounterDoc>);
    }
  }

  /** Sums one field over partitions: value -> month -> total, for months in [from, to]. */
  async series(
    gen: number,
    metric: string,
    dim: string,
    field: string,
    from: string,
    to: string,
  ): Promise<Map<string, Map<string, number>>> {
    const docs = await this.collection
      .find(
        { gen, metric, dim, month: { $gte: from, $lte: to } },
        { projection: { month: 1, value: 1, [`v.${field}`]: 1 } },
      )
      .toArray();
    const out = new Map<string, Map<string, number>>();
    for (const d of docs) {
      const byMonth = out.get(d.value) ?? new Map<string, number>();
      byMonth.set(d.month, (byMonth.get(d.month) ?? 0) + (d.v?.[field] ?? 0));
      out.set(d.value, byMonth);
    }
    return out;
  }

  /**
   * Like `series` for several dimensions at once: one query, because FerretDB v1 filters anything but
   * `_id` by scanning, so the number of queries, not the number of documents returned, sets the time.
   */
  async seriesByDim(
    gen: number,
    metric: string,
    dims: readonly string[],
    field: string,
    from: string,
    to: string,
  ): Promise<Map<string, Map<string, Map<string, number>>>> {
    const docs = await this.collection
      .find(
        { gen, metric, dim: { $in: [...dims] }, month: { $gte: from, $lte: to } },
        { projection: { dim: 1, month: 1, value: 1, [`v.${field}`]: 1 } },
      )
      .toArray();
    const out = new Map<string, Map<string, Map<string, number>>>(dims.map((d) => [d, new Map()]));
    for (const d of docs) {
      const byValue = out.get(d.dim) ?? new Map<string, Map<string, number>>();
      const byMonth = byValue.get(d.value) ?? new Map<string, number>();
      byMonth.set(d.month, (byMonth.get(d.month) ?? 0) + (d.v?.[field] ?? 0));
      byValue.set(d.value, byMonth);
      out.set(d.dim, byValue);
    }
    return out;
  }

  /** All fields of a metric's cells summed over partitions, for tables and exports. */
  async cells(
    gen: number,
    filter: { metric: string; dim: string; from: string; to: string },
  ): Promise<Array<{ month: string; value: string; fields: Fields }>> {
    const docs = await this.collection
      .find(
        { gen, metric: filter.metric, dim: filter.dim, month: { $gte: filter.from, $lte: filter.to } },
        { projection: { month: 1, value: 1, v: 1 } },
      )
      .toArray();
    const rows = new Map<string, { month: string; value: string; fields: Fields }>();
    for (const d of docs) {
      const key = `${d.month}|${d.value}`;
      const row = rows.get(key) ?? { month: d.month, value: d.value, fields: {} };
      for (const [name, v] of Object.entries(d.v ?? {})) row.fields[name] = (row.fields[name] ?? 0) + v;
      rows.set(key, row);
    }
    return [...rows.values()].sort(
      (a, b) => a.month.localeCompare(b.month) || a.value.localeCompare(b.value),
    );
  }

  /** Every cell of a generation summed over partitions (reconciliation; not a request-path read). */
  async allCells(gen: number): Promise<Map<string, Fields>> {
    const out = new Map<string, Fields>();
    const cursor = this.collection.find(
      { gen },
      { projection: { metric: 1, month: 1, dim: 1, value: 1, v: 1 } },
    );
    for await (const d of cursor) {
      const key = `${d.metric}|${d.month}|${d.dim}|${d.value}`;
      const row = out.get(key) ?? {};
      for (const [name, v] of Object.entries(d.v ?? {})) row[name] = (row[name] ?? 0) + v;
      out.set(key, row);
    }
    return out;
  }
}
