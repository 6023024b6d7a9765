// Load benchmark of the whole network (issue 17, "Throughput"): walk-in appliance intakes at a
// sorting station, sent over HTTP in steps of rising rates, each followed to its reverse invoice and
// into the statistics, with the work every intake costs read from the services' own /metrics and
// three ceilings on the same broker beside the network's own rate.
//
//   npm run -s bench:load -- [--rates 10,25,50,100] [--seconds 20] [--seed N] [--json out.json] [--private] ...
//
// See e2e/README.md ("Load benchmark") for every option, every figure and the --json format. The
// run survives saturation (a timeout or a refusal is counted and the run goes on), prints each step
// as it ends and always ends with the summary, also after Ctrl-C or an error.
import { alarProfile } from '@recycling/contracts';
import { physicalTopic } from '@recycling/messaging';
import { openTestDatabase, resolveTestInfra, startPrivateInfra } from '@recycling/testkit';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildWorkspace, runProducerPerf, type ProducerPerfRun } from '../../infra/local/src';
import { checkStep, type InvoiceSightings } from './accounting';
import { cpuMsOf, infraPids, memoryReading } from './memory';
import {
  renderWorkTable,
  residentBytes,
  scrapeAll,
  stepWork,
  workFigure,
  workJson,
  type StepWork,
} from './metrics';
import { rawKafka } from './raw-kafka';
import {
  failureCount,
  judgeTargets,
  mb,
  noFailures,
  percentiles,
  stepLines,
  summaryLines,
  type BenchReport,
  type Ceiling,
  type Failures,
  type StepReport,
} from './report';
import { readTemplates, seedHistory, type SeedCollection } from './seed';

const USAGE = `npm run -s bench:load -- [options]

  --rates R1,R2,..      intake rates per second, one step each (default 10,25,50,100)
  --seconds S           length of each step (default 20): rate × seconds intakes are offered
  --concurrency C       most requests in flight (default 32); a request due while C are in flight waits
  --timeout-ms T        an intake request without an answer after T ms counts as a timeout (default 10000)
  --drain-s D           after the last request, how long to wait for invoices and statistics (default 180)
  --seed N              insert N intakes and N invoices before the first step (default 0)
  --warmup W            intakes recorded one at a time before anything is measured (default 5)
  --sellers N           distinct sellers the intakes rotate through (default 200)
  --poll-ms P           how often statistics is read during a step (default 1000)
  --raw M               messages of the raw kafkajs ceiling (default 5000)
  --perf-records N      records of Kafka's ProducerPerformance, batched (default 50000; the unbatched run takes N/10)
  --skip-ceilings       no ProducerPerformance and no raw kafkajs run
  --json FILE           write every figure to FILE (also after a failure or Ctrl-C)
  --private             a broker and a store of this run alone (fresh, on free ports)
  --keep                keep the run's databases and topics on a shared store and broker (removed by default)`;

const { values: args } = (() => {
  try {
    return parseArgs({
      // `pnpm bench:load -- --json x` hands the script a leading `--` (npm swallows it).
      args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
      options: {
        rates: { type: 'string', default: '10,25,50,100' },
        seconds: { type: 'string', default: '20' },
        concurrency: { type: 'string', default: '32' },
        'timeout-ms': { type: 'string', default: '10000' },
        'drain-s': { type: 'string', default: '180' },
        seed: { type: 'string', default: '0' },
        warmup: { type: 'string', default: '5' },
        sellers: { type: 'string', default: '200' },
        'poll-ms': { type: 'string', default: '1000' },
        raw: { type: 'string', default: '5000' },
        'perf-records': { type: 'string', default: '50000' },
        'skip-ceilings': { type: 'boolean', default: false },
        json: { type: 'string' },
        private: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
})();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const integer = (name: keyof typeof args, min = 1): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min} (got ${String(args[name])})\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const SECONDS = integer('seconds');
const RATES = String(args.rates)
  .split(',')
  .map((r) => Number(r.trim()));
if (RATES.length === 0 || RATES.some((r) => !(r > 0))) {
  console.error(`--rates takes intake rates per second, e.g. 10,25,50 (got ${String(args.rates)})`);
  process.exit(2);
}
const CONCURRENCY = integer('concurrency');
const TIMEOUT_MS = integer('timeout-ms');
const DRAIN_MS = integer('drain-s') * 1000;
const SEED = integer('seed', 0);
const WARMUP = integer('warmup', 1);
const SELLERS = integer('sellers');
const POLL_MS = integer('poll-ms', 50);
const RAW = integer('raw');
const PERF_RECORDS = integer('perf-records');
const JSON_FILE = args.json ? path.resolve(args.json) : undefined;

const say = (line: string) => console.log(`[bench] ${line}`);
const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return `${error.name}: ${error.message}${cause instanceof Error ? ` (${cause.message})` : ''}`;
};

// ---------------------------------------------------------------------------------------------
// The report, and the summary that ends every run however it ends.

const began = performance.now();
const report: BenchReport = {
  version: 1,
  startedAt: new Date().toISOString(),
  status: 'running',
  machine: {
    cores: os.cpus().length,
    loadavgStart: os.loadavg()[0]!,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  },
  options: {
    rates: RATES,
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    timeoutMs: TIMEOUT_MS,
    drainS: DRAIN_MS / 1000,
    seed: SEED,
    warmup: WARMUP,
    sellers: SELLERS,
    pollMs: POLL_MS,
    raw: RAW,
    perfRecords: PERF_RECORDS,
    skipCeilings: args['skip-ceilings'],
    private: args.private,
    keep: args.keep,
  },
  ceilings: {},
  steps: [],
  errors: [],
};

let stopping = false;
const stopped = () => stopping;
let summaryShown = false;

function settleStatus(): void {
  report.finishedAt = new Date().toISOString();
  report.durationMs = performance.now() - began;
  report.machine.loadavgEnd = os.loadavg()[0]!;
  report.targets = judgeTargets(report.steps);
  const failed = report.steps.some((s) => s.accounting && !s.accounting.ok);
  if (report.status === 'running') {
    report.status = failed ? 'failed' : stopping ? 'interrupted' : report.errors.length ? 'error' : 'ok';
  }
  report.exitCode = report.status === 'ok' ? 0 : report.status === 'interrupted' ? 130 : 1;
}

function writeJson(): void {
  if (!JSON_FILE) return;
  try {
    fs.mkdirSync(path.dirname(JSON_FILE), { recursive: true });
    fs.writeFileSync(JSON_FILE, `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    console.error(`[bench] could not write ${JSON_FILE}: ${describe(error)}`);
  }
}

/** Prints the summary once (synchronously, so it also runs from an 'exit' handler). */
function showSummary(): void {
  if (summaryShown) return;
  summaryShown = true;
  settleStatus();
  for (const line of summaryLines(report, POLL_MS)) console.log(line);
  writeJson();
  if (JSON_FILE) console.log(`figures written to ${JSON_FILE}`);
  if (report.status === 'failed')
    console.log(
      'next: the services’ output of the failed step is above; run the same step alone (--rates <rate>) to see whether it repeats, and check the DLQ (npm run dlq)',
    );
  else if (report.status === 'error')
    console.log(
      'next: if the broker or store did not answer, check the infrastructure (bash infra/bin/workspace infra status) or run with --private',
    );
}

process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));
function onSignal(signal: NodeJS.Signals): void {
  if (!stopping) {
    stopping = true;
    say(`${signal}: stopping the current step; the summary follows (${signal} again quits at once)`);
    return;
  }
  report.status = 'interrupted';
  showSummary();
  process.exit(130);
}
// A stray promise must not end the run without its summary: counted, reported, and the run goes on.
process.on('unhandledRejection', (error) => {
  report.errors.push(`unhandled rejection: ${describe(error)}`);
  say(`unhandled rejection (the run goes on): ${describe(error)}`);
});
process.on('uncaughtException', (error) => {
  report.errors.push(`uncaught exception: ${describe(error)}`);
  report.status = 'error';
  console.error(error);
  showSummary();
  process.exit(1);
});
process.on('exit', () => showSummary());

// ---------------------------------------------------------------------------------------------

type Outcome =
  | { kind: 'accepted'; intakeId: string; ms: number; sentAt: number }
  | { kind: 'timeout' | 'network' | 'http5xx' | 'http429' | 'other'; status?: number; detail: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  say(
    `rates ${RATES.join(', ')}/s for ${SECONDS} s each, ≤${CONCURRENCY} in flight, timeout ${TIMEOUT_MS} ms`,
  );
  const built = await buildWorkspace();
  if (built.packages > 0)
    say(`compiled ${built.files} files of ${built.packages} packages in ${built.ms} ms`);

  say('resolving broker and store (KAFKA_BROKERS/MONGO_URL, testcontainers or local infrastructure)…');
  const infra = args.private
    ? await startPrivateInfra({ name: 'bench-load' }).then((p) => ({
        kafkaBrokers: p.kafkaBrokers,
        mongoUrl: p.mongoUrl,
        origin: `private ${p.origin}`,
        stop: () => p.dispose(),
      }))
    : await resolveTestInfra();
  const cleanups: Array<() => Promise<unknown>> = [() => infra.stop()];
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.MONGO_URL = infra.mongoUrl;
  report.infra = {
    origin: infra.origin,
    kafkaBrokers: infra.kafkaBrokers,
    mongoUrl: infra.mongoUrl.replace(/\/\/[^@/]*@/, '//***@'),
  };
  say(`broker ${infra.kafkaBrokers}, store ${report.infra.mongoUrl} (${infra.origin})`);

  try {
    if (!args['skip-ceilings']) await measureCeilings(infra.kafkaBrokers);
    if (!stopping) await runNetwork(infra, cleanups);
  } finally {
    say('stopping…');
    for (const cleanup of cleanups.reverse()) {
      await Promise.race([cleanup(), sleep(30_000)]).catch((error: unknown) =>
        say(`cleanup failed: ${describe(error)}`),
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Ceilings: Kafka's own producer benchmark (batched, unbatched) and raw kafkajs, on the same broker.

async function measureCeilings(brokers: string): Promise<void> {
  const perf = async (
    what: string,
    records: number,
    producerProps: Record<string, string>,
  ): Promise<Ceiling> => {
    say(`ceiling: ${what}, ${records} records of 1 KiB…`);
    try {
      const r: ProducerPerfRun = await runProducerPerf({
        brokers,
        records,
        producerProps,
        log: (line) => say(line.replace(/^\[infra\] /, '')),
      });
      say(`    ${Math.round(r.recordsPerSec)} records/s (${r.mbPerSec} MB/s), p99 ${r.p99Ms} ms`);
      return {
        what,
        recordsPerSec: r.recordsPerSec,
        mbPerSec: r.mbPerSec,
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        records: r.records,
        detail: r.command,
      };
    } catch (error) {
      const hint = (error as { hint?: string }).hint;
      say(`    failed (the run goes on): ${describe(error)}${hint ? `\n    → ${hint}` : ''}`);
      return { what, error: describe(error) };
    }
  };
  report.ceilings.producerPerfBatched = await perf(
    'Kafka ProducerPerformance, batched (acks=all)',
    PERF_RECORDS,
    {
      acks: 'all',
    },
  );
  if (stopping) return;
  report.ceilings.producerPerfUnbatched = await perf(
    'Kafka ProducerPerformance, unbatched (1 in flight)',
    Math.max(100, Math.round(PERF_RECORDS / 10)),
    { acks: 'all', 'max.in.flight.requests.per.connection': '1', 'batch.size': '0', 'linger.ms': '0' },
  );
  if (stopping) return;
  const what = `raw kafkajs (acks=all, idempotent, ${CONCURRENCY} in flight)`;
  say(`ceiling: ${what}, ${RAW} messages…`);
  try {
    const raw = await rawKafka({
      brokers,
      messages: RAW,
      concurrency: CONCURRENCY,
      sellers: SELLERS,
      stopped,
    });
    say(`    ${Math.round(raw.rate)} messages/s, p99 ${Math.round(raw.latency.p99)} ms (produce → consume)`);
    report.ceilings.rawKafkajs = {
      what,
      recordsPerSec: raw.rate,
      p50Ms: raw.latency.p50,
      p99Ms: raw.latency.p99,
      records: raw.received,
      detail: `${raw.partitions} partitions, latency produce → consume`,
    };
  } catch (error) {
    say(`    failed (the run goes on): ${describe(error)}`);
    report.ceilings.rawKafkajs = { what, error: describe(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// The network: warm-up, idle baseline, seeding, then the steps.

async function runNetwork(
  infra: { kafkaBrokers: string; mongoUrl: string; origin: string },
  cleanups: Array<() => Promise<unknown>>,
): Promise<void> {
  say('starting the five services as processes…');
  // Imported here: the support module reads E2E_LOG_LEVEL when the network starts.
  process.env.E2E_LOG_LEVEL ??= 'warn';
  const { startE2e, setUpCity, personSeller, applianceIntakeLines, STATION } =
    await import('../test/support/network');
  const { sellers } = await import('../test/support/books');
  const e = await startE2e();
  const names = Object.keys(e.net.services);
  const urls = Object.fromEntries(Object.entries(e.net.services).map(([n, s]) => [n, s.url]));
  const prefix = e.net.topicPrefix;
  const dbOf = (service: string) =>
    new URL(e.net.services[service as keyof typeof e.net.services].env.MONGO_URL!).pathname.slice(1);
  report.infra!.topicPrefix = prefix;
  // Cleanups run last first: the services stop, then their databases and topics go (a shared store
  // keeps no seeded history behind), then the infrastructure.
  if (!args.keep && !args.private)
    cleanups.push(() => removeRun(infra.kafkaBrokers, prefix, names.map(dbOf)));
  cleanups.push(() => e.stop());
  say(
    `services up; topic prefix and databases ${prefix}-*${args.keep ? ' (kept after the run: --keep)' : ''}`,
  );
  const exited = () =>
    Object.values(e.net.services)
      .filter((s) => s.process.exitCode !== null || s.process.signalCode !== null)
      .map(
        (s) =>
          `${s.name} exited (${s.process.exitCode ?? s.process.signalCode}):\n${s.output.slice(-15).join('')}`,
      );

  await setUpCity(e);
  const operator = await e.token('station-operator', STATION.siteId, 'op-bench');
  const admin = await e.token('administrator');
  const people = sellers(SELLERS);
  const lines = applianceIntakeLines();
  const UNITS = lines.reduce((s, l) => s + l.units, 0);

  // The store, for seeding and for naming intakes statistics lost (opened when first needed).
  let store: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
  const collection = async (service: string, name: string): Promise<SeedCollection> => {
    if (!store) {
      store = await openTestDatabase('bench');
      const opened = store;
      cleanups.push(() => opened.close());
    }
    return store.getClient().db(dbOf(service)).collection(name) as unknown as SeedCollection;
  };

  // What reached the purchases and invoices topics, and when.
  const purchaseSeen = new Map<string, number>();
  const invoiceSeen = new Map<string, number>();
  const sightings = new Map<string, InvoiceSightings>();
  const watcher = await startWatcher(infra.kafkaBrokers, prefix, (type, data, id) => {
    const now = performance.now();
    const purchaseId = typeof data.purchaseId === 'string' ? data.purchaseId : undefined;
    if (!purchaseId) return;
    if (type === 'recycling.purchase.recorded.v1') {
      if (!purchaseSeen.has(purchaseId)) purchaseSeen.set(purchaseId, now);
      return;
    }
    const seen = sightings.get(purchaseId) ?? { issued: new Set(), refused: new Set(), reversed: new Set() };
    sightings.set(purchaseId, seen);
    if (type === 'recycling.invoice.issued.v1') {
      seen.issued.add(String(data.invoiceId ?? id));
      if (!invoiceSeen.has(purchaseId)) invoiceSeen.set(purchaseId, now);
    } else if (type === 'recycling.invoice.refused.v1') {
      seen.refused.add(id);
      seen.refusedReason ??= String(data.reasonCode ?? '');
    } else if (type === 'recycling.invoice.reversed.v1') {
      seen.reversed.add(String(data.invoiceId ?? id));
    }
  });
  cleanups.push(() => watcher.disconnect());
  const settled = (intakeId: string) => {
    const s = sightings.get(`intake:${intakeId}`);
    return !!s && (s.issued.size > 0 || s.refused.size > 0);
  };

  // Statistics: the appliance units of every month since the start (a step may cross a month).
  const cityMonth = () =>
    new Intl.DateTimeFormat('en-CA', { timeZone: alarProfile.timezone }).format(new Date()).slice(0, 7);
  const firstMonth = cityMonth();
  let benchReads = 0;
  const countedUnits = async (): Promise<number> => {
    benchReads += 1;
    const reply = await e.call(
      'statistics',
      'GET',
      `/rollups?metric=appliances&dim=all&from=${firstMonth}&to=${cityMonth()}`,
      admin,
    );
    if (reply.status !== 200)
      throw new Error(`statistics answered ${reply.status}: ${reply.text.slice(0, 200)}`);
    const rows = (reply.body?.rows ?? []) as Array<{ value: string; fields: Record<string, number> }>;
    return rows.filter((r) => r.value === 'all').reduce((s, r) => s + (r.fields.units ?? 0), 0);
  };

  /** One intake request; never throws: every way it can fail is an outcome. */
  const postIntake = async (i: number, timeoutMs = TIMEOUT_MS): Promise<Outcome> => {
    const t0 = performance.now();
    try {
      const res = await fetch(`${urls.sorting}/stations/${STATION.siteId}/intakes`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${operator}`,
          'idempotency-key': `bench-${prefix}-${i}`,
        },
        body: JSON.stringify({
          source: { kind: 'walk-in' },
          seller: personSeller(people[i % SELLERS]!),
          lines,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (res.status === 201) {
        const intakeId = (JSON.parse(text) as { intakeId?: string }).intakeId;
        if (intakeId) return { kind: 'accepted', intakeId, ms, sentAt: t0 };
        return { kind: 'other', status: 201, detail: `201 without an intakeId: ${text.slice(0, 120)}` };
      }
      const kind = res.status >= 500 ? 'http5xx' : res.status === 429 ? 'http429' : 'other';
      return { kind, status: res.status, detail: `${res.status} ${text.slice(0, 160)}` };
    } catch (error) {
      const name = (error as Error)?.name;
      const timeout = name === 'TimeoutError' || name === 'AbortError';
      return { kind: timeout ? 'timeout' : 'network', detail: describe(error) };
    }
  };

  // --- warm-up: a few intakes one at a time, each waited for; the first is the seeds' template.
  say(`warm-up: ${WARMUP} intake(s) one at a time…`);
  const warmStart = performance.now();
  const warmIds: string[] = [];
  let sent = 0;
  for (let k = 0; k < WARMUP && !stopping; k++) {
    const outcome = await postIntake(sent++, Math.max(TIMEOUT_MS, 30_000));
    if (outcome.kind !== 'accepted')
      throw new Error(`the warm-up intake was not accepted: ${outcome.detail}`);
    warmIds.push(outcome.intakeId);
  }
  const warmUnits = async () => countedUnits().catch(() => -1);
  const warmDeadline = Date.now() + 120_000;
  while (!stopping && Date.now() < warmDeadline) {
    if (warmIds.every(settled) && (await warmUnits()) >= warmIds.length * UNITS) break;
    await sleep(250);
  }
  if (!warmIds.every(settled)) {
    throw new Error(
      `the warm-up intakes were not invoiced within 120 s (${warmIds.filter(settled).length}/${warmIds.length})`,
    );
  }
  // What one /rollups read of the benchmark costs statistics, to tell it apart from the intakes' work.
  const beforeReads = await scrapeAll({ statistics: urls.statistics! });
  for (let k = 0; k < 5; k++) await countedUnits().catch(() => undefined);
  const afterReads = await scrapeAll({ statistics: urls.statistics! });
  const readCost = workFigure(stepWork(beforeReads, afterReads, ['statistics']), 'store round trips') / 5;
  report.warmup = {
    intakes: warmIds.length,
    ms: performance.now() - warmStart,
    storeRoundTripsPerRollupRead: readCost,
  };
  say(
    `    invoiced and counted after ${Math.round(performance.now() - warmStart)} ms; one /rollups read = ${readCost} store round trips`,
  );

  // --- idle: what the network does by itself (consumers fetching, relays' safety nets).
  const IDLE_S = 5;
  const idleBefore = await scrapeAll(urls);
  await sleep(IDLE_S * 1000);
  const idleWork = stepWork(idleBefore, await scrapeAll(urls), names);
  report.idle = {
    seconds: IDLE_S,
    perSecond: Object.fromEntries(idleWork.rows.map((r) => [r.label.trim(), r.total / IDLE_S])),
  };
  say(
    `idle for ${IDLE_S} s: ${(workFigure(idleWork, 'store round trips') / IDLE_S).toFixed(1)} store round trips/s, ` +
      `${(workFigure(idleWork, 'kafka requests') / IDLE_S).toFixed(1)} kafka requests/s`,
  );

  // --- seed
  if (SEED > 0 && !stopping) {
    const seedStart = performance.now();
    try {
      const intakes = await collection('sorting', 'intakes');
      const invoices = await collection('invoicing', 'invoices');
      const templates = await readTemplates(intakes, invoices, warmIds[0]!);
      say(`seeding ${SEED} intakes (sorting) and ${SEED} invoices (invoicing) in chunks of 1000…`);
      const result = await seedHistory({
        n: SEED,
        templates,
        intakes,
        invoices,
        timeZone: alarProfile.timezone,
        progress: (line) => say(`    ${line}`),
        stopped,
      });
      report.seed = result;
      say(`    seeded ${result.intakes} of each in ${(result.ms / 1000).toFixed(1)} s`);
    } catch (error) {
      report.seed = { intakes: 0, invoices: 0, ms: performance.now() - seedStart, error: describe(error) };
      report.errors.push(`seeding failed: ${describe(error)}`);
      say(`    seeding failed: ${describe(error)} (the steps run on the store as it is)`);
    }
  }

  const total = RATES.reduce((s, r) => s + Math.round(r * SECONDS), 0);
  if (total > SELLERS * 450)
    say(
      `note: ${total} intakes over ${SELLERS} sellers come near a seller's monthly exemption threshold (≈500 intakes), ` +
        'past which invoicing reissues a month: raise --sellers',
    );

  // --- the steps
  for (const [n, rate] of RATES.entries()) {
    if (stopping) break;
    const stepNo = n + 1;
    const offered = Math.max(1, Math.round(rate * SECONDS));
    say(
      `step ${stepNo}/${RATES.length}: ${offered} intakes offered at ${rate}/s (≤${CONCURRENCY} in flight)…`,
    );
    const step: StepReport = {
      step: stepNo,
      rate,
      seconds: SECONDS,
      offered,
      sent: 0,
      sendSeconds: NaN,
      heldBack: 0,
      accepted: 0,
      acceptedLate: 0,
      notAccepted: 0,
      failures: noFailures(),
      acceptedPerSec: NaN,
      invoicedPerSec: NaN,
      drained: false,
      drainSeconds: NaN,
      latency: {
        http: percentiles([]),
        invoice: percentiles([]),
        toPurchase: percentiles([]),
        purchaseToInvoice: percentiles([]),
        statistics: percentiles([]),
      },
      benchReads: 0,
    };
    report.steps.push(step);
    let work: StepWork | undefined;
    try {
      work = await runStep(step);
    } catch (error) {
      step.error = describe(error);
      report.errors.push(`step ${stepNo} (${rate}/s) broke off: ${describe(error)}`);
    }
    console.log('');
    for (const line of stepLines(step, POLL_MS)) console.log(line);
    if (work && work.missing.length < work.services.length) {
      for (const line of renderWorkTable(work, step.accepted + step.acceptedLate, {
        ...idleWork,
        seconds: IDLE_S,
      }))
        console.log(`  ${line}`);
      if (step.benchReads > 0 && readCost > 0)
        console.log(
          `  (statistics' figures include the benchmark's ${step.benchReads} /rollups reads ≈ ${Math.round(step.benchReads * readCost)} store round trips)`,
        );
    }
    if (step.memory) {
      const parts = [
        ...Object.entries(step.memory.services).map(([name, bytes]) => [name, bytes] as const),
        ['broker', step.memory.broker] as const,
        ['store', step.memory.store] as const,
      ].map(([name, bytes]) => `${name} ${mb(bytes)}`);
      console.log(`  memory: ${parts.join(', ')}`);
    }
    if (step.cpuPerIntake) {
      const c = step.cpuPerIntake;
      const ms = (v: number | undefined) => (v === undefined ? '?' : `${v.toFixed(1)} ms`);
      console.log(
        `  cpu per intake: services ${ms(c.services)}, store ${ms(c.store)}, broker ${ms(c.broker)}, benchmark ${ms(c.bench)}`,
      );
    }
    console.log('');
    writeJson();
    const gone = stopping ? [] : exited();
    if (gone.length) {
      report.errors.push(...gone);
      say('a service exited: no further steps');
      break;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Runs one step into `step`; answers its work table (undefined when interrupted early). */
  async function runStep(step: StepReport): Promise<StepWork | undefined> {
    const { rate, offered } = step;
    benchReads = 0;
    const unitsBefore = await countedUnits();
    const before = await scrapeAll(urls);
    const pids = infraPids(infra.kafkaBrokers, infra.mongoUrl);
    const cpuAt = () => {
      const own = process.cpuUsage();
      return {
        store: pids.store === undefined ? undefined : cpuMsOf(pids.store),
        broker: pids.broker === undefined ? undefined : cpuMsOf(pids.broker),
        bench: (own.user + own.system) / 1000,
      };
    };
    const cpuBefore = cpuAt();
    const accepted: Array<{ intakeId: string; at: number }> = [];
    const late: Array<{ intakeId: string; at: number }> = [];
    const httpLatency: number[] = [];
    const uncertain: number[] = [];
    const failures: Failures = step.failures;
    const fail = (i: number, o: Exclude<Outcome, { kind: 'accepted' }>) => {
      failures[o.kind] += 1;
      if (failures.examples.length < 5) failures.examples.push(`${o.kind}: ${o.detail}`);
      if (o.kind === 'timeout' || o.kind === 'network' || o.kind === 'http5xx') uncertain.push(i);
    };

    // Statistics read while intakes flow: when the count first reaches UNITS·k, the k-th accepted
    // intake was counted (at the latest).
    const unitsSeenAt: Array<{ units: number; at: number }> = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const units = (await countedUnits().catch(() => unitsBefore)) - unitsBefore;
        unitsSeenAt.push({ units, at: performance.now() });
        await sleep(POLL_MS);
      }
    })();

    const start = performance.now();
    let inFlight = 0;
    let lastReport = start;
    const progress = (what: string) =>
      say(
        `    ${what}: sent ${step.sent}/${offered}, accepted ${accepted.length + late.length}, failed ${failureCount(failures)}, ` +
          `invoiced ${[...accepted, ...late].filter((a) => invoiceSeen.has(`intake:${a.intakeId}`)).length}, in flight ${inFlight}`,
      );
    const requests: Promise<void>[] = [];
    for (let k = 0; k < offered && !stopping; k++) {
      const due = start + (k * 1000) / rate;
      let waited = false;
      while (!stopping && (performance.now() < due || inFlight >= CONCURRENCY)) {
        if (inFlight >= CONCURRENCY) waited = true;
        await sleep(Math.max(1, Math.min(20, due - performance.now())));
      }
      if (stopping) break;
      if (waited && performance.now() - due > 100) step.heldBack += 1;
      const i = sent++;
      step.sent += 1;
      inFlight += 1;
      requests.push(
        postIntake(i).then((o) => {
          inFlight -= 1;
          if (o.kind === 'accepted') {
            httpLatency.push(o.ms);
            accepted.push({ intakeId: o.intakeId, at: o.sentAt });
          } else fail(i, o);
        }),
      );
      if (performance.now() - lastReport > 5_000) {
        lastReport = performance.now();
        progress('sending');
      }
    }
    await Promise.all(requests);
    const sendEnd = performance.now();
    step.sendSeconds = (sendEnd - start) / 1000;

    // Requests whose outcome is unknown (timeout, network error, 5xx): asked again with the same
    // Idempotency-Key, which answers the first attempt's result (or records it now).
    if (uncertain.length && !stopping) {
      say(
        `    ${uncertain.length} request(s) without an answer: asking again with the same Idempotency-Key…`,
      );
      const deadline = Date.now() + 90_000;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(4, uncertain.length) }, async () => {
          while (next < uncertain.length) {
            const i = uncertain[next++]!;
            for (;;) {
              // A generous timeout: the point is to learn the outcome, not to time it.
              const o = await postIntake(i, Math.max(TIMEOUT_MS, 30_000));
              if (o.kind === 'accepted') {
                late.push({ intakeId: o.intakeId, at: performance.now() });
                break;
              }
              const retry = o.kind !== 'other' || o.status === 409;
              if (!retry || Date.now() > deadline || stopping) {
                step.notAccepted += 1;
                break;
              }
              await sleep(1_000);
            }
          }
        }),
      );
    }
    step.notAccepted += failures.http429 + failures.other;
    step.accepted = accepted.length;
    step.acceptedLate = late.length;
    const all = [...accepted, ...late];
    const expectedUnits = all.length * UNITS;

    // Drain: every accepted intake invoiced (or refused) and counted.
    const drainStart = performance.now();
    let lastDrainReport = drainStart;
    const deadline = drainStart + DRAIN_MS;
    const countedNow = () => unitsSeenAt[unitsSeenAt.length - 1]?.units ?? 0;
    while (!stopping && performance.now() < deadline) {
      const invoiced = all.filter((a) => settled(a.intakeId)).length;
      if (invoiced === all.length && countedNow() >= expectedUnits) break;
      if (performance.now() - lastDrainReport > 5_000) {
        lastDrainReport = performance.now();
        say(
          `    draining: ${invoiced}/${all.length} invoiced, ${countedNow() / UNITS}/${all.length} counted by statistics`,
        );
      }
      await sleep(100);
    }
    polling = false;
    await poller;
    step.drained = all.every((a) => settled(a.intakeId)) && countedNow() >= expectedUnits;
    step.drainSeconds = (performance.now() - sendEnd) / 1000;

    // The step's figures first: whatever fails after this, they are kept.
    const invoiced = all.filter((a) => invoiceSeen.has(`intake:${a.intakeId}`));
    const lastInvoice = Math.max(...invoiced.map((a) => invoiceSeen.get(`intake:${a.intakeId}`)!));
    const purchaseOf = (a: { intakeId: string }) => `intake:${a.intakeId}`;
    const byAccept = [...accepted].sort((a, b) => a.at - b.at);
    step.acceptedPerSec = accepted.length / step.sendSeconds;
    step.invoicedPerSec = invoiced.length ? invoiced.length / ((lastInvoice - start) / 1000) : 0;
    step.latency = {
      http: percentiles(httpLatency),
      invoice: percentiles(
        accepted
          .filter((a) => invoiceSeen.has(purchaseOf(a)))
          .map((a) => invoiceSeen.get(purchaseOf(a))! - a.at),
      ),
      toPurchase: percentiles(
        accepted
          .filter((a) => purchaseSeen.has(purchaseOf(a)))
          .map((a) => purchaseSeen.get(purchaseOf(a))! - a.at),
      ),
      purchaseToInvoice: percentiles(
        accepted
          .filter((a) => purchaseSeen.has(purchaseOf(a)) && invoiceSeen.has(purchaseOf(a)))
          .map((a) => invoiceSeen.get(purchaseOf(a))! - purchaseSeen.get(purchaseOf(a))!),
      ),
      statistics: percentiles(
        byAccept.flatMap((a, k) => {
          const seen = unitsSeenAt.find((u) => u.units >= (k + 1) * UNITS);
          return seen ? [Math.max(0, seen.at - a.at)] : [];
        }),
      ),
    };
    const after = await scrapeAll(urls);
    const cpuAfter = cpuAt();
    const work = stepWork(before, after, names);
    step.work = workJson(work, all.length);
    const perIntake = (ms: number | undefined) =>
      ms === undefined ? undefined : ms / Math.max(1, all.length);
    const spent = (key: 'store' | 'broker') =>
      cpuBefore[key] === undefined || cpuAfter[key] === undefined
        ? undefined
        : cpuAfter[key]! - cpuBefore[key]!;
    step.cpuPerIntake = {
      services: perIntake(workFigure(work, 'cpu ms'))!,
      store: perIntake(spent('store')),
      broker: perIntake(spent('broker')),
      bench: perIntake(cpuAfter.bench - cpuBefore.bench)!,
    };
    step.benchReads = benchReads;

    // The check: one invoice per intake, counted once.
    const ids = all.map((a) => a.intakeId);
    if (stopping) {
      // Interrupted: an intake not yet invoiced is not a lost one (and the services may be gone).
      step.interrupted = true;
    } else {
      await sleep(Math.min(POLL_MS, 1_000)); // a doubled count arrives late, if at all
      const counted = (await countedUnits()) - unitsBefore;
      const stats: Parameters<typeof checkStep>[2] = { counted, expected: expectedUnits };
      if (counted < expectedUnits) {
        try {
          stats.missing = await statisticsMissing(ids);
        } catch (error) {
          stats.lookupError = describe(error);
        }
      }
      step.accounting = checkStep(ids, sightings, stats);
    }
    const rss = residentBytes(after);
    const ordered = Object.fromEntries(names.filter((n) => n in rss).map((n) => [n, rss[n]!]));
    step.memory = memoryReading(`after step ${step.step} (${rate}/s)`, ordered, infra);
    report.memory = step.memory;
    if (rate > 0 && step.acceptedPerSec < rate * 0.9 && !stopping)
      say(
        `    accepted ${step.acceptedPerSec.toFixed(1)}/s of ${rate}/s offered: the network is saturated here`,
      );
    return work;
  }

  /** Intakes of `ids` that statistics holds no record of (its active generation's records). */
  async function statisticsMissing(ids: string[]): Promise<string[]> {
    const generations = await collection('statistics', 'rollup_generations');
    const active = (await generations.find({ status: 'active' }).toArray()) as Array<{ _id: number }>;
    if (active.length !== 1) throw new Error(`statistics has ${active.length} active generations`);
    const gen = active[0]!._id;
    const records = await collection('statistics', 'rollup_records');
    const found = new Set<string>();
    for (let k = 0; k < ids.length; k += 1_000) {
      const chunk = ids.slice(k, k + 1_000).map((id) => `${gen}|intake:${id}`);
      for (const doc of (await records.find({ _id: { $in: chunk } }).toArray()) as Array<{ _id: string }>)
        found.add(doc._id);
    }
    return ids.filter((id) => !found.has(`${gen}|intake:${id}`));
  }
}

/** Drops the run's databases and deletes its topics (on a shared broker and store). */
async function removeRun(brokers: string, prefix: string, databases: string[]): Promise<void> {
  say(`removing the run's databases and topics (${prefix}-*; --keep keeps them)…`);
  const store = await openTestDatabase('bench-cleanup');
  try {
    for (const db of databases) await store.getClient().db(db).dropDatabase();
  } finally {
    await store.close();
  }
  const kafka = new Kafka({
    clientId: 'bench-cleanup',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** A consumer of the purchases and invoices topics from their beginning, calling `seen` for each event. */
async function startWatcher(
  brokers: string,
  prefix: string,
  seen: (type: string, data: Record<string, unknown>, id: string) => void,
): Promise<Consumer> {
  const kafka = new Kafka({
    clientId: 'bench-watch',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const watcher = kafka.consumer({ groupId: `${prefix}-bench-watch` });
  watcher.on(watcher.events.CRASH, (event) => {
    say(`watcher crashed (kafkajs restarts it): ${describe(event.payload.error)}`);
  });
  await watcher.connect();
  await watcher.subscribe({
    topics: ['recycling.invoices.v1', 'recycling.purchases.v1'].map((t) => physicalTopic(prefix, t)),
    fromBeginning: true,
  });
  await watcher.run({
    partitionsConsumedConcurrently: 12,
    eachMessage: async ({ message }) => {
      const type = message.headers?.ce_type?.toString() ?? '';
      const id = message.headers?.ce_id?.toString() ?? '';
      try {
        seen(type, JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>, id);
      } catch {
        // not an event of ours
      }
    },
  });
  return watcher;
}

main()
  .catch((error: unknown) => {
    report.errors.push(describe(error));
    const hint = (error as { hint?: string }).hint;
    console.error(`[bench] ${describe(error)}${hint ? `\n[bench] → ${hint}` : ''}`);
  })
  .finally(() => {
    showSummary();
    process.exit(report.exitCode ?? 1);
  });
