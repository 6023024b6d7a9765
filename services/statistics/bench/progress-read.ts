// Benchmark of the progress query over a large history.
//
//   cd services/statistics && MONGO_URL=mongodb://127.0.0.1:37017/statistics-bench \
//     node_modules/.bin/tsx bench/progress-read.ts [--years 10] [--partitions 6] [--runs 100] [--warmup 3]
//     [--as-of 2025-06,2025-12] [--metric scrapped-vehicles] [--skip-load]
//
// Loads ten years of a city's rollup counters straight into the store (the documents the consumers
// would have written: per generation, metric and year a collection with one document per partition
// and dimension, holding every value month by month, with offsets), then times the same progress
// reads the HTTP routes make. Counters are written directly because pushing millions of events through
// Kafka on a small machine measures the broker, not the read.
import { alarProfile } from '@recycling/contracts';
import mongoose from 'mongoose';
import { progressReport } from '../src/app/progress';
import { expandFacts, type Fact } from '../src/domain/facts';
import { addMonths } from '../src/domain/months';
import { Metrics } from '../src/domain/record-rules';
import { addCells, groupDeltas } from '../src/domain/series-layout';
import { CounterStore, type SeriesDoc } from '../src/store/counters';
import { TargetStore } from '../src/store/targets';

if (process.argv.includes('--help')) {
  console.log(`progress-read: loads a synthetic history of rollup counters and times the progress read.

  MONGO_URL=mongodb://127.0.0.1:37017/statistics-bench tsx bench/progress-read.ts [options]

  --years N         years of history ending 2025-12 (default 10)
  --partitions N    partitions per topic (default 6)
  --runs N          timed runs per query (default 100)
  --warmup N        untimed runs first (default 3)
  --as-of M[,M]     months to report as of (default 2025-06,2025-12)
  --metric CODE     only this target
  --skip-load       reuse the history already loaded`);
  process.exit(0);
}

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const YEARS = arg('years', 10);
const PARTITIONS = arg('partitions', 6);
const RUNS = arg('runs', 100);
const WARMUP = arg('warmup', 3);
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const AS_OF = (option('as-of') ?? '2025-06,2025-12').split(',');
const ONLY_METRIC = option('metric');
const SKIP_LOAD = process.argv.includes('--skip-load');
const GEN = 1;
const LAST_MONTH = '2025-12';
const FIRST_MONTH = addMonths(LAST_MONTH, -(YEARS * 12 - 1));

// Deterministic pseudo-random numbers, so two runs load the same history.
let seed = 20_270_101;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
/** About `mean`, +-50 %, growing a little every year so that trends are not flat. */
const around = (mean: number, month: string) => {
  const growth = 1 + 0.05 * (Number(month.slice(0, 4)) - 2016);
  return Math.max(0, Math.round(mean * growth * (0.5 + rand())));
};

const districts = alarProfile.districts.map((d) => d.code);
const categories = Object.keys(alarProfile.appliances.defaultWeightGrams);
const vehicleTypes = ['passenger-car', 'truck', 'bus', 'special', 'motorcycle'];
const fuels = ['gasoline', 'diesel', 'bev', 'phev', 'hybrid', 'cng', 'lpg', 'fcev'];
const emissions = [
  'pre-china-1',
  'china-1',
  'china-2',
  'china-3',
  'china-4',
  'china-5',
  'china-6',
  'unknown',
];
const sources = ['pickup', 'walk-in', 'retailer-trade-in', 'public-institution', 'enterprise'];

/** One month of one partition, as bundles of facts (each bundle stands for many events). */
function monthFacts(month: string, share: number): { facts: Array<[string, Fact[]]>; events: number } {
  const byTopic = new Map<string, Fact[]>();
  let events = 0;
  const add = (topic: string, fact: Fact) => byTopic.set(topic, [...(byTopic.get(topic) ?? []), fact]);
  for (const district of districts) {
    for (const category of categories) {
      const units = around((25_000 * share) / (districts.length * categories.length), month);
      if (units === 0) continue;
      events += units;
      add('recycling.intakes.v1', {
        metric: Metrics.appliances,
        month,
        dims: { district, category, source: pick(sources) },
        fields: { units, grams: units * 20_000, fen: units * 5_000 },
      });
    }
    for (const vehicleType of vehicleTypes) {
      const vehicles = around((600 * share) / (districts.length * vehicleTypes.length), month);
      if (vehicles > 0) {
        events += vehicles * 4; // received, certificate, deregistration, dismantled
        add('recycling.vehicles.v1', {
          metric: Metrics.vehicles,
          month,
          dims: {
            district,
            vehicleType,
            fuelType: pick(fuels),
            emissionStandard: pick(emissions),
            earlyRetiredDieselTruck: pick(['yes', 'no']),
            tradeInSubsidyEligible: pick(['yes', 'no']),
          },
          fields: { count: vehicles, fen: vehicles * 150_000, grams: vehicles * 1_200_000 },
        });
      }
      const usedCars = around((3_000 * share) / (districts.length * vehicleTypes.length), month);
      if (usedCars > 0) {
        events += usedCars;
        add('recycling.used-cars.v1', {
          metric: Metrics.usedCars,
          month,
          dims: { district, vehicleType, fuelType: pick(fuels) },
          fields: { count: usedCars, fen: usedCars * 6_000_000 },
        });
      }
    }
    for (const kind of ['appliances', 'vehicle']) {
      const requested = around((8_000 * share) / (districts.length * 2), month);
      const collected = Math.round(requested * 0.93);
      events += requested * 3; // requested, scheduled, collected or failed
      add('recycling.pickups.v1', {
        metric: Metrics.pickups,
        month,
        dims: { district, kind },
        fields: {
          requested,
          collected,
          failed: requested - collected,
          collectSeconds: collected * 86_400,
          timed: collected,
        },
      });
    }
  }
  return { facts: [...byTopic.entries()], events };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function timeIt(label: string, runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(1).padStart(7);
  console.log(
    `${label.padEnd(48)} p50 ${f(percentile(times, 50))} ms  p95 ${f(percentile(times, 95))} ms  p99 ${f(percentile(times, 99))} ms  max ${f(times.at(-1) ?? 0)} ms`,
  );
  return times;
}

async function main() {
  const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:37017/statistics-bench';
  const connection = await mongoose.createConnection(url).asPromise();
  const counters = new CounterStore(connection);
  const targets = new TargetStore(connection);
  console.log(
    `store ${url.replace(/\/\/[^@]*@/, '//')}; ${YEARS} years (${FIRST_MONTH}..${LAST_MONTH}), ${PARTITIONS} partitions per topic`,
  );

  if (!SKIP_LOAD) await counters.purge(GEN);
  await targets.seed(alarProfile);

  const started = Date.now();
  let docs = 0;
  let collections = 0;
  let cells = 0;
  let events = 0;
  const months = YEARS * 12;
  // A year of documents is built in memory (what a year of events would leave) and inserted at once.
  let year = new Map<string, { collection: string; doc: SeriesDoc }>();
  const flush = async () => {
    const byCollection = new Map<string, SeriesDoc[]>();
    for (const { collection, doc } of year.values()) {
      byCollection.set(collection, [...(byCollection.get(collection) ?? []), doc]);
    }
    for (const [collection, batch] of byCollection) {
      await connection.collection<SeriesDoc>(collection).insertMany(batch, { ordered: false });
      docs += batch.length;
      collections += 1;
    }
    year = new Map();
  };
  for (let i = 0; i < (SKIP_LOAD ? 0 : months); i++) {
    const month = addMonths(FIRST_MONTH, i);
    for (let p = 0; p < PARTITIONS; p++) {
      const { facts, events: n } = monthFacts(month, 1 / PARTITIONS);
      events += n;
      for (const [topic, list] of facts) {
        const part = `${topic}~${p}`;
        const deltas = expandFacts(list);
        cells += deltas.size;
        // One draw per cell, as the per-cell layout's watermarks drew: the history stays the same one.
        let offset = 0;
        for (let n = 0; n < deltas.size; n++) offset = Math.floor(rand() * 1e6);
        for (const u of groupDeltas(GEN, part, deltas)) {
          const key = `${u.collection}/${u._id}`;
          const entry = year.get(key) ?? {
            collection: u.collection,
            doc: { _id: u._id, part, dim: u.dim, c: {}, offset, rev: 1 },
          };
          entry.doc.c = addCells(entry.doc.c, u.add);
          year.set(key, entry);
        }
      }
    }
    if ((i + 1) % 12 === 0 || i === months - 1) {
      await flush();
      const s = (Date.now() - started) / 1000;
      console.log(
        `loaded ${month}: ${docs.toLocaleString('en')} counter documents in ${collections} collections (${cells.toLocaleString('en')} monthly cells), ${events.toLocaleString('en')} events represented, ${s.toFixed(0)} s`,
      );
    }
  }
  const loadSeconds = (Date.now() - started) / 1000;

  const all = (await targets.list()).filter((t) => !ONLY_METRIC || t._id === ONLY_METRIC);
  const summary: string[] = [];
  for (const asOf of AS_OF) {
    for (const t of all) {
      const times = await timeIt(`progress ${t._id} as of ${asOf} (by month, district, category)`, RUNS, () =>
        progressReport(counters, GEN, t, asOf, { breakdowns: true }),
      );
      summary.push(
        `${t._id}@${asOf} p50 ${percentile(times, 50).toFixed(1)} ms p95 ${percentile(times, 95).toFixed(1)} ms`,
      );
    }
    await timeIt(`progress of all ${all.length} targets as of ${asOf} (totals, by month)`, RUNS, () =>
      Promise.all(all.map((t) => progressReport(counters, GEN, t, asOf, { breakdowns: false }))),
    );
  }
  // What one report reads: which collections, how many queries and documents.
  const read = { queries: 0, documents: 0, collections: new Set<string>() };
  const collectionOf = counters.collection.bind(counters);
  counters.collection = (gen, metric, y) => {
    const collection = collectionOf(gen, metric, y);
    const find = collection.find.bind(collection);
    collection.find = ((...args: Parameters<typeof find>) => {
      read.queries += 1;
      read.collections.add(collection.collectionName);
      const cursor = find(...args);
      const toArray = cursor.toArray.bind(cursor);
      cursor.toArray = async () => {
        const found = await toArray();
        read.documents += found.length;
        return found;
      };
      return cursor;
    }) as typeof collection.find;
    return collection;
  };
  const sample = await progressReport(counters, GEN, all[0]!, AS_OF.at(-1)!, { breakdowns: true });
  counters.collection = collectionOf;
  console.log('\nsummary');
  console.log(
    `  history: ${YEARS} years, ${events.toLocaleString('en')} events represented, ${docs.toLocaleString('en')} counter documents in ${collections} collections holding ${cells.toLocaleString('en')} monthly cells, loaded in ${loadSeconds.toFixed(0)} s`,
  );
  for (const line of summary) console.log(`  ${line}`);
  console.log(
    `  one report (${sample.metric} as of ${sample.asOf}, with breakdowns): ${read.queries} queries, ${read.documents} counter documents, from ${[...read.collections].join(', ')}`,
  );
  console.log(
    `  sanity: ${sample.metric} year to date ${sample.yearToDate}, last 12 months ${sample.last12Months}, ${sample.byDistrict?.length} districts, ${sample.byCategory?.length} types`,
  );
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
