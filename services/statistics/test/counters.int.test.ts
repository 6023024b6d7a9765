// The counter store on the real store (no broker): events go through the rollup handler with the
// positions a consumer would give them. Figures are checked against hand counts, duplicates and a
// half-applied event change nothing, a rebuild in another interleaving of partitions gives the same
// cells, and a progress read touches only the collections of the years it needs.
import { fixtures } from '@recycling/contracts/fixtures';
import type { DomainEvent } from '@recycling/contracts';
import type { ConsumedEvent, HandlerContext } from '@recycling/messaging';
import { DocumentLocks } from '@recycling/store';
import { dropTestDatabase, openTestDatabase } from '@recycling/testkit';
import type { Connection, mongo } from 'mongoose';
import pino from 'pino';
import { progressReport } from '../src/app/progress';
import { counterKeyString, type Fields } from '../src/domain/facts';
import { recordRules } from '../src/domain/record-rules';
import { seriesCollectionName } from '../src/domain/series-layout';
import { RollupGenerations } from '../src/events/rollup-generations';
import { applyRollupRun, rollupBatch, rollupHandlers, type RunOutcome } from '../src/events/rollup-handler';
import { CounterStore, LEGACY_COUNTERS_COLLECTION } from '../src/store/counters';
import { GenerationStore } from '../src/store/generations';
import { RecordCache } from '../src/events/record-cache';
import { RecordStore, type RecordDoc } from '../src/store/records';
import type { TargetDoc } from '../src/store/targets';

jest.setTimeout(120_000);

const TZ = 'Asia/Shanghai';
const f = fixtures;

interface Delivery {
  topic: string;
  partition: number;
  offset: number;
  event: DomainEvent<unknown>;
}

let n = 0;
const ev = (type: string, data: unknown, id = `ev-${++n}`): DomainEvent<unknown> =>
  ({ id, type, data, source: 'urn:recycling:659002:test', time: new Date().toISOString() }) as never;

const pk2 = { ...f['recycling.pickup.requested.v1'], pickupId: 'pk-2', districtCode: 't02' };
const vi2 = {
  ...f['recycling.vehicle.received.v1'],
  vehicleIntakeId: 'vi-2',
  vin: 'LSVAU033512345678',
  vehicleType: 'truck' as const,
  districtCode: 't02',
  pickupId: undefined,
  occurredAt: '2024-12-20T10:00:00Z',
};

/** Every event once, per partition in offset order. */
const stream: Record<string, DomainEvent<unknown>[]> = {
  'recycling.pickups.v1~0': [
    ev('recycling.pickup.requested.v1', f['recycling.pickup.requested.v1']),
    ev('recycling.pickup.scheduled.v1', f['recycling.pickup.scheduled.v1']),
    // Rescheduled on 1 March, 08:00 in Alar.
    ev('recycling.pickup.scheduled.v1', {
      ...f['recycling.pickup.scheduled.v1'],
      occurredAt: '2025-03-01T00:00:00Z',
    }),
    ev('recycling.pickup.collected.v1', f['recycling.pickup.collected.v1']),
  ],
  'recycling.pickups.v1~1': [
    // 31 January 17:00 UTC is 1 February in Alar.
    ev('recycling.pickup.requested.v1', { ...pk2, occurredAt: '2025-01-31T17:00:00Z' }),
    ev('recycling.pickup.failed.v1', {
      ...f['recycling.pickup.failed.v1'],
      pickupId: 'pk-2',
      reasonCode: 'resident-absent',
      occurredAt: '2025-02-02T02:00:00Z',
    }),
  ],
  'recycling.intakes.v1~0': [
    ev('recycling.intake.recorded.v1', f['recycling.intake.recorded.v1']),
    ev('recycling.intake.corrected.v1', f['recycling.intake.corrected.v1']),
  ],
  'recycling.vehicles.v1~0': [ev('recycling.vehicle.received.v1', f['recycling.vehicle.received.v1'])],
  'recycling.vehicles.v1~1': [
    ev('recycling.vehicle.received.v1', vi2),
    ev('recycling.vehicle.intake-voided.v1', {
      ...f['recycling.vehicle.intake-voided.v1'],
      vehicleIntakeId: 'vi-2',
      vin: vi2.vin,
    }),
  ],
  'recycling.used-cars.v1~0': [
    ev('recycling.used-car.transaction-recorded.v1', f['recycling.used-car.transaction-recorded.v1']),
  ],
};

const deliveries = (part: string, from = 0): Delivery[] => {
  const [topic = '', partition = '0'] = part.split('~');
  return stream[part]!.map((event, i) => ({ topic, partition: Number(partition), offset: from + i, event }));
};

const silent = pino({ level: 'silent' });

let connection: Connection;
let counters: CounterStore;
let records: RecordStore;

async function deliver(gen: number, list: Delivery[]): Promise<void> {
  const handlers = rollupHandlers({ gen, counters, records, timeZone: TZ });
  for (const d of list) {
    const ctx = {
      position: { topic: d.topic, partition: d.partition, offset: String(d.offset) },
      key: undefined,
      heartbeat: async () => undefined,
      logger: silent,
    } as HandlerContext;
    await handlers[d.event.type]!(d.event, ctx);
  }
}

const consumed = (list: Delivery[]): ConsumedEvent[] =>
  list.map((d) => ({
    event: d.event,
    position: { topic: d.topic, partition: d.partition, offset: String(d.offset) },
    key: undefined,
  }));

/** Each partition's deliveries as one run, as the consumer runner hands a fetched batch over. */
async function deliverRuns(
  gen: number,
  runs: Delivery[][],
  store: { records?: RecordStore } = {},
): Promise<RunOutcome[]> {
  const deps = { gen, counters, records: store.records ?? records, timeZone: TZ };
  const outcomes: RunOutcome[] = [];
  for (const run of runs) outcomes.push(await applyRollupRun(deps, consumed(run)));
  return outcomes;
}

const cell = (cells: Map<string, Fields>, metric: string, month: string, dim = 'all', value = 'all') =>
  cells.get(counterKeyString({ metric, month, dim, value })) ?? {};

beforeAll(async () => {
  connection = await openTestDatabase('stat-counters');
  counters = new CounterStore(connection);
  records = new RecordStore(connection);
});

afterAll(async () => {
  await dropTestDatabase(connection);
});

describe('counters on the store', () => {
  it('count every event once: redelivered offsets, republished events and a half-applied event change nothing', async () => {
    // A consumer that crashed in the middle of the vehicle event had already written one document.
    const vehicle = f['recycling.vehicle.received.v1'];
    await counters.applyDeltas(
      1,
      { topic: 'recycling.vehicles.v1', partition: 0, offset: '0' },
      new Map([
        [
          'vehicles|2025-02|all|all',
          { count: 1, fen: vehicle.priceFen, grams: vehicle.weighedGrams ?? vehicle.curbWeightGrams ?? 0 },
        ],
      ]),
    );
    for (const part of Object.keys(stream)) await deliver(1, deliveries(part));
    // Redelivery of the same offsets (a rebalance, a crash before the commit).
    await deliver(1, deliveries('recycling.pickups.v1~0'));
    await deliver(1, deliveries('recycling.intakes.v1~0'));
    await deliver(1, deliveries('recycling.vehicles.v1~0'));
    // The same events published again at new offsets (an outbox relay that resent them).
    await deliver(1, deliveries('recycling.pickups.v1~1', 10));
    await deliver(1, deliveries('recycling.used-cars.v1~0', 10));

    const cells = await counters.allCells(1);
    const collected = f['recycling.pickup.collected.v1'];
    const collectedAppliances =
      collected.kind === 'appliances' ? collected.appliances.reduce((s, a) => s + a.count, 0) : 0;
    // By hand: pk-1 requested and scheduled in February, rescheduled and collected in March after
    // 84,780 s and delivered by the March intake; pk-2 requested on 1 February (Alar) and failed.
    expect(cell(cells, 'pickups', '2025-02')).toEqual({
      requested: 2,
      scheduled: 1,
      failed: 1,
      delivered: 1,
    });
    expect(cell(cells, 'pickups', '2025-03')).toEqual({
      rescheduled: 1,
      collected: 1,
      collectSeconds: 84_780,
      timed: 1,
      appliances: collectedAppliances,
      delivered: 1,
    });
    expect(cell(cells, 'pickups', '2025-02', 'district', 't02')).toEqual({ requested: 1, failed: 1 });
    expect(cell(cells, 'pickups', '2025-02', 'reason', 'resident-absent')).toEqual({ failed: 1 });
    expect(cell(cells, 'pickups', '2025-02', 'kind', 'vehicle')).toEqual({ delivered: 1 });
    // The intake as corrected: the washer at 28.4 kg for 70 yuan.
    expect(cell(cells, 'appliances', '2025-03')).toEqual({ units: 2, grams: 52_300 + 28_400, fen: 19_000 });
    expect(cell(cells, 'appliances', '2025-03', 'category', 'washing-machine')).toEqual({
      units: 1,
      grams: 28_400,
      fen: 7_000,
    });
    // vi-1 counted once although its first document had been written before the crash; vi-2 voided.
    expect(cell(cells, 'vehicles', '2025-02')).toEqual({
      count: 1,
      fen: vehicle.priceFen,
      grams: vehicle.weighedGrams ?? vehicle.curbWeightGrams ?? 0,
    });
    expect([...cells.keys()].filter((k) => k.includes('2024-12'))).toEqual([]);
    expect(cell(cells, 'used-cars', '2025-03')).toEqual({
      count: 1,
      fen: f['recycling.used-car.transaction-recorded.v1'].priceFen,
    });
  });

  it('rebuilds the same cells from the topics in another interleaving of partitions', async () => {
    const parts = Object.keys(stream).reverse();
    const queues = parts.map((p) => deliveries(p));
    // Round-robin across partitions, as several consumers would, each partition still in order.
    while (queues.some((q) => q.length > 0)) {
      for (const q of queues) if (q.length > 0) await deliver(2, [q.shift()!]);
    }
    const incremental = await counters.allCells(1);
    const rebuilt = await counters.allCells(2);
    expect(rebuilt.size).toBeGreaterThan(20);
    expect(Object.fromEntries(rebuilt)).toEqual(Object.fromEntries(incremental));
  });

  it('applies a run reading and writing each document once, and a run applied twice counts once', async () => {
    const runs = Object.keys(stream).map((part) => deliveries(part));
    const first = await deliverRuns(21, runs);
    for (const [i, outcome] of first.entries()) {
      // Every document the run touches is read once and written once, whatever the events in it.
      expect(outcome.counterDocuments.written).toBe(outcome.counterDocuments.read);
      expect(outcome.events).toBe(runs[i]!.length);
    }
    const pickups = first[0]!;
    // pk-1 requested, scheduled, rescheduled and collected: one record, and the pickups documents of
    // 2025 (all, district, kind; reason is never touched) once each, although four events change them.
    expect(pickups.records).toBe(1);
    expect(pickups.counterDocuments).toEqual({ read: 3, written: 3 });
    const again = await deliverRuns(21, runs);
    for (const outcome of again) {
      expect(outcome.counted).toBe(0);
      expect(outcome.counterDocuments.written).toBe(0);
    }
    expect(Object.fromEntries(await counters.allCells(21))).toEqual(
      Object.fromEntries(await counters.allCells(1)),
    );
  });

  it('counts once a run redelivered cut differently: the first half applied, then the whole run', async () => {
    const runs = Object.keys(stream).map((part) => deliveries(part));
    await deliverRuns(
      22,
      runs.map((run) => run.slice(0, Math.ceil(run.length / 2))),
    );
    await deliverRuns(22, runs);
    // And once more, one event at a time, as the runner applies a failed batch.
    for (const run of runs) await deliver(22, run);
    expect(Object.fromEntries(await counters.allCells(22))).toEqual(
      Object.fromEntries(await counters.allCells(1)),
    );
  });

  it('counts once a run that crashed after its counters and before its records', async () => {
    class CrashingRecords extends RecordStore {
      override async saveRun(): Promise<void> {
        throw new Error('the process died before saving the records');
      }
    }
    const crashing = new CrashingRecords(connection);
    const runs = Object.keys(stream).map((part) => deliveries(part));
    // Every run wrote its counters, then crashed; the redelivery cuts them differently.
    for (const run of runs)
      await expect(deliverRuns(23, [run], { records: crashing })).rejects.toThrow('died');
    expect((await counters.allCells(23)).size).toBeGreaterThan(20);
    expect(await records.collection.countDocuments({ gen: 23 })).toBe(0);
    for (const run of runs) await deliverRuns(23, [run.slice(0, 1), run.slice(1)]);
    expect(Object.fromEntries(await counters.allCells(23))).toEqual(
      Object.fromEntries(await counters.allCells(1)),
    );
    // A record saved with the run recognises its events when they come again at new offsets.
    const saved = await records.find(23, 'pickup:pk-2');
    expect(saved?.appliedEvents).toHaveLength(2);
    await deliverRuns(23, [deliveries('recycling.pickups.v1~1', 50)]);
    expect(Object.fromEntries(await counters.allCells(23))).toEqual(
      Object.fromEntries(await counters.allCells(1)),
    );
  });

  it('reads only the records a consumer has not seen, and counts once when another consumer wrote them', async () => {
    const ctx = { heartbeat: async () => undefined, logger: silent };
    const read = jest.spyOn(records, 'findMany');
    const readIds = () => read.mock.calls.reduce((n, [ids]) => n + ids.length, 0);
    const runs = Object.keys(stream).map((part) => deliveries(part));
    try {
      // A rebuild's consumer starts every partition at offset 0: every record is new, none is read,
      // and the next run of each partition continues from what the first saved.
      const first = rollupBatch({ gen: 24, counters, records, timeZone: TZ });
      for (const run of runs) await first.handle(consumed(run.slice(0, 1)), ctx);
      for (const run of runs) if (run.length > 1) await first.handle(consumed(run.slice(1)), ctx);
      expect(readIds()).toBe(0);
      expect(Object.fromEntries(await counters.allCells(24))).toEqual(
        Object.fromEntries(await counters.allCells(1)),
      );
      // Another consumer of the same generation starts again at offset 0 (the first crashed before
      // committing): inserting records that exist is refused, the run fails, and applied again one
      // event at a time, as the runner does, it reads the records and counts nothing twice.
      const second = rollupBatch({ gen: 24, counters, records, timeZone: TZ });
      for (const run of runs) {
        await expect(second.handle(consumed(run), ctx)).rejects.toThrow(/written meanwhile/);
        for (const one of consumed(run)) await second.handle([one], ctx);
      }
      expect(readIds()).toBeGreaterThan(0);
      expect(Object.fromEntries(await counters.allCells(24))).toEqual(
        Object.fromEntries(await counters.allCells(1)),
      );
      // The first consumer, handed a partition back where it left it (nobody committed meanwhile),
      // goes on from its cache: the same events again at new offsets change nothing.
      await first.handle(consumed(deliveries('recycling.pickups.v1~1', 2)), ctx);
      expect(Object.fromEntries(await counters.allCells(24))).toEqual(
        Object.fromEntries(await counters.allCells(1)),
      );
    } finally {
      read.mockRestore();
    }
  });

  it('counts once when another partition makes the cache let go of records a run is using', async () => {
    const ctx = { heartbeat: async () => undefined, logger: silent };
    const cache = new RecordCache(3);
    const filler = (n: number) =>
      new Map(Array.from({ length: n }, (_, i) => [`26|other:${i}`, { _id: `26|other:${i}` } as RecordDoc]));
    // While a run waits on the store, another partition's run commits and evicts everything.
    class Interleaved extends RecordStore {
      evict = false;
      override async findMany(ids: readonly string[]) {
        if (this.evict) {
          cache.begin('other~0', 0);
          cache.commit('other~0', 0, filler(3));
        }
        return super.findMany(ids);
      }
    }
    const interleaved = new Interleaved(connection);
    const batch = rollupBatch({ gen: 26, counters, records: interleaved, timeZone: TZ, cache });
    for (const part of Object.keys(stream)) {
      const run = deliveries(part);
      await batch.handle(consumed(run.slice(0, 1)), ctx);
      interleaved.evict = true;
      if (run.length > 1) await batch.handle(consumed(run.slice(1)), ctx);
      interleaved.evict = false;
    }
    expect(Object.fromEntries(await counters.allCells(26))).toEqual(
      Object.fromEntries(await counters.allCells(1)),
    );
  });

  it('reads records of the earlier, unpacked layout and packs them when it saves them', async () => {
    const requested = ev('recycling.pickup.requested.v1', {
      ...f['recycling.pickup.requested.v1'],
      pickupId: 'pk-9',
      districtCode: 't09',
    });
    const state = recordRules[requested.type]!.apply(undefined, requested.data, TZ, requested.id);
    const _id = RecordStore.idOf(25, 'pickup:pk-9');
    await records.collection.insertOne({ _id, gen: 25, ...state, appliedEvents: [requested.id] } as never);
    const collected = ev('recycling.pickup.collected.v1', {
      ...f['recycling.pickup.collected.v1'],
      pickupId: 'pk-9',
    });
    const at = (offset: number, event: DomainEvent<unknown>): Delivery => ({
      topic: 'recycling.pickups.v1',
      partition: 0,
      offset,
      event,
    });
    await deliverRuns(25, [[at(0, requested), at(1, collected)]]);
    const cells = await counters.allCells(25);
    // The request was counted by the earlier layout's consumer: only the collection counts now, in
    // the district the record kept.
    expect(cell(cells, 'pickups', '2025-02', 'district', 't09')).toEqual({});
    expect(cell(cells, 'pickups', '2025-03', 'district', 't09')).toEqual({
      collected: 1,
      collectSeconds: 84_780,
      timed: 1,
      appliances: 2,
    });
    const stored = await records.collection.findOne({ _id });
    expect(typeof stored?.r).toBe('string');
    expect(stored).not.toHaveProperty('slots');
    expect((await records.find(25, 'pickup:pk-9'))?.appliedEvents).toEqual([requested.id, collected.id]);
  });

  it('reads a progress report from the collections of the years it needs, one query each', async () => {
    const target: TargetDoc = {
      _id: 'appliances-recovered',
      name: { zh: '废旧家电回收量', en: 'Appliances recovered' },
      unit: { zh: '台', en: 'units' },
      baseline: 10,
      baselineAssumed: true,
      baselineYear: 2023,
      targetYear: 2027,
      growthBp: 3000,
      source: 'test',
      updatedAt: new Date(),
      updatedBy: 'test',
    };
    const reads: Array<{ collection: string; filter: unknown; documents: number }> = [];
    const original = connection.collection.bind(connection);
    const spy = jest.spyOn(connection, 'collection').mockImplementation(((name: string) => {
      const collection = original(name) as mongo.Collection;
      const find = collection.find.bind(collection);
      collection.find = ((filter: unknown, options: unknown) => {
        const cursor = find(filter as never, options as never);
        const toArray = cursor.toArray.bind(cursor);
        cursor.toArray = async () => {
          const docs = await toArray();
          reads.push({ collection: name, filter, documents: docs.length });
          return docs;
        };
        return cursor;
      }) as typeof collection.find;
      collection.findOne = (() => {
        throw new Error(`a progress read looked up a single document in ${name}`);
      }) as never;
      return collection;
    }) as never);
    try {
      const report = await progressReport(counters, 1, target, '2025-06', { breakdowns: true });
      expect(report.yearToDate).toBe(2);
      expect(report.byCategory?.map((r) => [r.value, r.yearToDate])).toEqual([
        ['refrigerator', 1],
        ['washing-machine', 1],
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(reads.map((r) => r.collection).sort()).toEqual([
      seriesCollectionName(1, 'appliances', '2023'),
      seriesCollectionName(1, 'appliances', '2024'),
      seriesCollectionName(1, 'appliances', '2025'),
    ]);
    for (const r of reads) expect(r.filter).toEqual({ dim: { $in: ['all', 'district', 'category'] } });
    // Three dimensions of the one intakes partition that wrote appliances, in 2025 only.
    expect(reads.reduce((s, r) => s + r.documents, 0)).toBe(3);
  });

  it('purges an ended generation, counters and records, and leaves the others alone', async () => {
    const generations = new GenerationStore(connection, new DocumentLocks(connection));
    await generations.ensureFirst();
    await generations.collection.insertOne({
      _id: 2,
      status: 'retired',
      createdAt: new Date(),
      endedAt: new Date(Date.now() - 120_000),
    });
    const rollups = new RollupGenerations({
      kafka: {} as never,
      publisher: {} as never,
      generations,
      counters,
      records,
      logger: silent,
      timeZone: TZ,
      purgeAfterMs: 60_000,
    });
    expect(await rollups.purgeEnded()).toEqual([2]);
    expect((await counters.allCells(2)).size).toBe(0);
    expect(await records.collection.countDocuments({ gen: 2 })).toBe(0);
    expect((await counters.allCells(1)).size).toBeGreaterThan(20);
    expect(await records.collection.countDocuments({ gen: 1 })).toBeGreaterThan(5);
    expect((await generations.get(2))?.purgedAt).toBeInstanceOf(Date);
    expect(await rollups.purgeEnded()).toEqual([]);
  });

  it('moves counters of the one-document-per-cell layout into the yearly collections', async () => {
    const legacy = connection.collection(LEGACY_COUNTERS_COLLECTION);
    const doc = (part: string, month: string, dim: string, value: string, v: Fields, offset: number) => ({
      _id: `7|${part}|used-cars|${month}|${dim}|${value}`,
      gen: 7,
      part,
      metric: 'used-cars',
      month,
      dim,
      value,
      v,
      watermarks: { [`${part.split('~')[0]!.replace(/\./g, '_')}~${part.split('~')[1]}`]: offset },
    });
    await legacy.insertMany([
      doc('recycling.used-cars.v1~0', '2024-12', 'all', 'all', { count: 2, fen: 300 }, 5),
      doc('recycling.used-cars.v1~0', '2025-01', 'all', 'all', { count: 1, fen: 100 }, 9),
      doc('recycling.used-cars.v1~1', '2025-01', 'all', 'all', { count: 4, fen: 800 }, 3),
      doc('recycling.used-cars.v1~0', '2025-01', 'district', 'a.b', { count: 1, fen: 100 }, 9),
    ] as never[]);
    expect(await counters.migrateLegacy()).toEqual({ cells: 4, documents: 4 });
    expect(Object.fromEntries(await counters.allCells(7))).toEqual({
      'used-cars|2024-12|all|all': { count: 2, fen: 300 },
      'used-cars|2025-01|all|all': { count: 5, fen: 900 },
      'used-cars|2025-01|district|a.b': { count: 1, fen: 100 },
    });
    expect(await legacy.findOne({})).toBeNull();
    // The migrated offsets still guard: offset 9 of partition 0 again changes nothing, 10 counts.
    const again = new Map([['used-cars|2025-01|all|all', { count: 1, fen: 100 }]]);
    await counters.applyDeltas(7, { topic: 'recycling.used-cars.v1', partition: 0, offset: '9' }, again);
    await counters.applyDeltas(7, { topic: 'recycling.used-cars.v1', partition: 0, offset: '10' }, again);
    expect((await counters.allCells(7)).get('used-cars|2025-01|all|all')).toEqual({ count: 6, fen: 1000 });
    expect(await counters.migrateLegacy()).toEqual({ cells: 0, documents: 0 });
  });
});
