// Load benchmark of the whole network: walk-in appliance intakes at a sorting station, sent over HTTP
// at a fixed concurrency, each followed to its reverse invoice and into the statistics.
//
//   npm run -s bench:load -- [--private] [--rates 2,5,10] [--seconds 20] [--concurrency 16] [--sellers 200] [--raw 5000]
//
// Each rate is a step: rate × seconds walk-in intakes offered at that rate (open loop, at most
// --concurrency in flight), then a wait until every one is invoiced and counted.
//
// It prints, for the same broker and store:
//   - the raw kafkajs rate: messages of a purchase event's size produced and consumed on a topic with
//     the purchases topic's partitions (the ceiling the network's messaging could reach);
//   - intake HTTP latency and rate;
//   - intake accepted (201) → invoice.issued seen on the invoices topic, p50/p95/p99 and rate;
//   - intake accepted → counted by statistics (polled every --poll-ms, so the figure is at most
//     that much late);
//   - the ratio of the network's end-to-end rate to the raw rate.
// Services run as separate processes (testkit's startNetwork), with their own topic prefix and
// databases; the broker and store come from KAFKA_BROKERS/MONGO_URL, testcontainers or the local
// infrastructure, as in the tests.
import { alarProfile, purchasesTopic } from '@recycling/contracts';
import { purchaseRecorded } from '@recycling/contracts/fixtures';
import { physicalTopic } from '@recycling/messaging';
import { resolveTestInfra, startPrivateInfra, uniqueName } from '@recycling/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    rates: { type: 'string', default: '2,5,10' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '16' },
    sellers: { type: 'string', default: '200' },
    raw: { type: 'string', default: '5000' },
    'poll-ms': { type: 'string', default: '250' },
    private: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    'npm run -s bench:load -- [--private] [--rates R1,R2,..] [--seconds S] [--concurrency C] [--sellers N] [--raw M] [--poll-ms P]',
  );
  process.exit(0);
}
const positive = (name: keyof typeof args): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer (got ${String(args[name])})`);
    process.exit(2);
  }
  return n;
};
const SECONDS = positive('seconds');
const RATES = String(args.rates)
  .split(',')
  .map(Number)
  .filter((r) => r > 0);
if (RATES.length === 0) {
  console.error('--rates takes intake rates per second, e.g. 2,5,10');
  process.exit(2);
}
const CONCURRENCY = positive('concurrency');
const SELLERS = positive('sellers');
const RAW = positive('raw');
const POLL_MS = positive('poll-ms');

const say = (line: string) => console.log(`[bench] ${line}`);

interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
function percentiles(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}
const ms = (x: number) => `${Math.round(x)} ms`;
interface StepResult {
  rate: number;
  count: number;
  accepted: number;
  failures: string[];
  httpRate: number;
  http: Summary;
  invoice: Summary;
  toPurchase: Summary;
  purchaseToInvoice: Summary;
  stats: Summary;
  e2eRate: number;
  missing: number;
}

const line = (what: string, s: Summary) =>
  `${what.padEnd(34)} n=${s.n}  p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;

/** A purchase event as sorting publishes it (data in the value, CloudEvents attributes in headers). */
const samplePurchase = (i: number): string =>
  JSON.stringify({ ...purchaseRecorded, purchaseId: `intake:I-BENCH-${i}` });

/** kafkajs alone: produce at the same concurrency, consume, and time each message. */
async function rawKafka(brokers: string): Promise<{ rate: number; latency: Summary }> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const topic = uniqueName('bench-raw').replace(/[^a-zA-Z0-9_-]/g, '_');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: purchasesTopic.partitions }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-g` });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  let lastAt = 0;
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key!.toString();
      const t0 = sentAt.get(key);
      if (t0 === undefined) return;
      sentAt.delete(key);
      lastAt = performance.now();
      latencies.push(lastAt - t0);
      if (latencies.length === RAW) done();
    },
  });
  await new Promise((r) => setTimeout(r, 3_000)); // let the group settle before timing
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RAW) {
        const i = next++;
        const key = `seller-${i % SELLERS}-${i}`;
        sentAt.set(key, performance.now());
        await producer.send({ topic, acks: -1, messages: [{ key, value: samplePurchase(i) }] });
      }
    }),
  );
  await all;
  const rate = RAW / ((lastAt - start) / 1000);
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  const cleanup = kafka.admin();
  await cleanup.connect();
  await cleanup.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await cleanup.disconnect();
  return { rate, latency: percentiles(latencies) };
}

async function main(): Promise<void> {
  const started = performance.now();
  say('resolving broker and store (KAFKA_BROKERS/MONGO_URL, testcontainers or local infrastructure)…');
  // --private: a broker and a store of this run alone (fresh, on free ports), so figures are not
  // skewed by other databases and topics on the shared ones.
  const infra = args.private
    ? await startPrivateInfra({ name: 'bench-load' }).then((p) => ({
        kafkaBrokers: p.kafkaBrokers,
        mongoUrl: p.mongoUrl,
        origin: `private ${p.origin}`,
        stop: () => p.dispose(),
      }))
    : await resolveTestInfra();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.MONGO_URL = infra.mongoUrl;
  say(`broker ${infra.kafkaBrokers}, store ${infra.mongoUrl} (${infra.origin})`);
  say(
    `rates ${RATES.join(', ')}/s for ${SECONDS} s each, ≤${CONCURRENCY} in flight, ${SELLERS} sellers, raw messages ${RAW}`,
  );

  say(`1/3 raw kafkajs: ${RAW} messages at concurrency ${CONCURRENCY}…`);
  const raw = await rawKafka(infra.kafkaBrokers);
  say(`    ${Math.round(raw.rate)} messages/s`);

  say('2/3 starting the five services as processes…');
  // Imported here: the support module reads E2E_LOG_LEVEL when the network starts.
  process.env.E2E_LOG_LEVEL ??= 'warn';
  const { startE2e, setUpCity, personSeller, applianceIntakeLines, STATION } =
    await import('../test/support/network');
  const { sellers } = await import('../test/support/books');
  const e = await startE2e();
  try {
    await setUpCity(e);
    const operator = await e.token('station-operator', STATION.siteId, 'op-bench');
    const people = sellers(SELLERS);

    // When each purchase reached the purchases topic (sorting's outbox relay) and when its invoice
    // reached the invoices topic (invoicing's consumer and relay): the two halves of the latency.
    const purchaseSeen = new Map<string, number>();
    const invoiceSeen = new Map<string, number>();
    const kafka = new Kafka({
      clientId: 'bench-watch',
      brokers: infra.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const watcher = kafka.consumer({ groupId: `${e.net.topicPrefix}-bench-watch` });
    await watcher.connect();
    await watcher.subscribe({
      topics: ['recycling.invoices.v1', 'recycling.purchases.v1'].map((t) =>
        physicalTopic(e.net.topicPrefix, t),
      ),
      fromBeginning: true,
    });
    await watcher.run({
      partitionsConsumedConcurrently: 12,
      eachMessage: async ({ message }) => {
        const type = message.headers?.ce_type?.toString();
        const seen =
          type === 'recycling.invoice.issued.v1'
            ? invoiceSeen
            : type === 'recycling.purchase.recorded.v1'
              ? purchaseSeen
              : undefined;
        if (!seen) return;
        const data = JSON.parse(message.value!.toString()) as { purchaseId: string };
        if (!seen.has(data.purchaseId)) seen.set(data.purchaseId, performance.now());
      },
    });

    const admin = await e.token('administrator');
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: alarProfile.timezone })
      .format(new Date())
      .slice(0, 7);
    const countedUnits = async (): Promise<number> => {
      const reply = await e.call(
        'statistics',
        'GET',
        `/rollups?metric=appliances&dim=all&from=${month}&to=${month}`,
        admin,
      );
      const rows = (reply.body?.rows ?? []) as Array<{ value: string; fields: Record<string, number> }>;
      return rows.filter((r) => r.value === 'all').reduce((s, r) => s + (r.fields.units ?? 0), 0);
    };

    const intakeBody = (i: number) => ({
      source: { kind: 'walk-in' },
      seller: personSeller(people[i % SELLERS]!),
      lines: applianceIntakeLines(),
    });

    /**
     * One step: `count` intakes offered at `rate` per second (open loop, at most CONCURRENCY in
     * flight), then waits until each is invoiced and counted. Steps do not overlap.
     */
    let sent = 0;
    const runStep = async (rate: number, count: number): Promise<StepResult> => {
      const unitsBefore = await countedUnits();
      const accepted: Array<{ purchaseId: string; at: number }> = [];
      const httpLatency: number[] = [];
      const failures: string[] = [];
      // Statistics is polled while intakes flow: the time the count first reaches 2k is when the
      // k-th accepted intake (two units each) became visible, at the latest.
      const unitsSeenAt: Array<{ units: number; at: number }> = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const units = (await countedUnits().catch(() => 0)) - unitsBefore;
          unitsSeenAt.push({ units, at: performance.now() });
          if (units >= count * 2) break;
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      })();
      const start = performance.now();
      let inFlight = 0;
      let lastReport = start;
      const requests: Promise<void>[] = [];
      for (let k = 0; k < count; k++) {
        const due = start + (k * 1000) / rate;
        while (performance.now() < due || inFlight >= CONCURRENCY) {
          await new Promise((r) => setTimeout(r, Math.max(1, Math.min(20, due - performance.now()))));
        }
        const i = sent++;
        inFlight += 1;
        requests.push(
          (async () => {
            const t0 = performance.now();
            const reply = await e.call(
              'sorting',
              'POST',
              `/stations/${STATION.siteId}/intakes`,
              operator,
              intakeBody(i),
              { 'idempotency-key': `bench-${e.net.topicPrefix}-${i}` },
            );
            const t1 = performance.now();
            inFlight -= 1;
            if (reply.status !== 201) {
              failures.push(`${reply.status} ${reply.text.slice(0, 200)}`);
              return;
            }
            httpLatency.push(t1 - t0);
            accepted.push({ purchaseId: `intake:${reply.body.intakeId as string}`, at: t1 });
            if (t1 - lastReport > 5_000) {
              lastReport = t1;
              say(
                `    ${accepted.length}/${count} accepted, ${accepted.filter((a) => invoiceSeen.has(a.purchaseId)).length} invoiced`,
              );
            }
          })(),
        );
      }
      await Promise.all(requests);
      const sendEnd = performance.now();
      const deadline = Date.now() + 10 * 60_000;
      while (accepted.some((a) => !invoiceSeen.has(a.purchaseId)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await Promise.race([poller, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
      polling = false;

      const invoiced = accepted.filter((a) => invoiceSeen.has(a.purchaseId));
      const lastInvoice = Math.max(...invoiced.map((a) => invoiceSeen.get(a.purchaseId)!));
      const byAccept = [...accepted].sort((a, b) => a.at - b.at);
      return {
        rate,
        count,
        accepted: accepted.length,
        failures,
        httpRate: accepted.length / ((sendEnd - start) / 1000),
        http: percentiles(httpLatency),
        invoice: percentiles(invoiced.map((a) => invoiceSeen.get(a.purchaseId)! - a.at)),
        toPurchase: percentiles(
          accepted
            .filter((a) => purchaseSeen.has(a.purchaseId))
            .map((a) => purchaseSeen.get(a.purchaseId)! - a.at),
        ),
        purchaseToInvoice: percentiles(
          invoiced
            .filter((a) => purchaseSeen.has(a.purchaseId))
            .map((a) => invoiceSeen.get(a.purchaseId)! - purchaseSeen.get(a.purchaseId)!),
        ),
        stats: percentiles(
          byAccept.flatMap((a, k) => {
            const seen = unitsSeenAt.find((u) => u.units >= (k + 1) * 2);
            return seen ? [Math.max(0, seen.at - a.at)] : [];
          }),
        ),
        e2eRate: invoiced.length / ((lastInvoice - start) / 1000),
        missing: accepted.length - invoiced.length,
      };
    };

    const results: StepResult[] = [];
    for (const [n, rate] of RATES.entries()) {
      const count = Math.max(1, Math.round(rate * SECONDS));
      say(
        `3/3 step ${n + 1}/${RATES.length}: ${count} intakes offered at ${rate}/s (≤${CONCURRENCY} in flight)…`,
      );
      const r = await runStep(rate, count);
      results.push(r);
      say(
        `    accepted ${r.httpRate.toFixed(1)}/s, invoiced ${r.e2eRate.toFixed(1)}/s, invoice p50 ${ms(r.invoice.p50)}`,
      );
    }
    await watcher.disconnect();

    console.log('');
    console.log('── load benchmark ─────────────────────────────────────────────');
    console.log(
      `machine: ${(await import('node:os')).cpus().length} cores, load ${(await import('node:os')).loadavg()[0]!.toFixed(1)}, node ${process.version}; broker/store: ${infra.origin}`,
    );
    console.log(
      `raw kafkajs (acks=all, idempotent, ${purchasesTopic.partitions} partitions, ${CONCURRENCY} in flight)  ${Math.round(raw.rate)} msg/s`,
    );
    console.log(line('raw produce → consume', raw.latency));
    for (const r of results) {
      console.log('');
      console.log(
        `offered ${r.rate}/s × ${r.count}: accepted ${r.accepted} (${r.httpRate.toFixed(1)}/s), failed ${r.failures.length}${r.failures[0] ? ` (first: ${r.failures[0]})` : ''}, not invoiced ${r.missing}`,
      );
      console.log(line('  intake HTTP latency', r.http));
      console.log(line('  intake accepted → invoice issued', r.invoice));
      console.log(line('    accepted → purchase on its topic', r.toPurchase));
      console.log(line('    purchase → invoice on its topic', r.purchaseToInvoice));
      console.log(line(`  accepted → statistics (±${POLL_MS} ms)`, r.stats));
      console.log(
        `  end-to-end rate ${r.e2eRate.toFixed(1)} intakes/s = ${((r.e2eRate / raw.rate) * 100).toFixed(2)} % of raw kafkajs`,
      );
    }
    console.log(`total time ${ms(performance.now() - started)}`);
    if (results.some((r) => r.missing > 0 || r.failures.length > 0)) process.exitCode = 1;
  } finally {
    await e.stop();
    await infra.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  console.error('[bench] failed. Is the local infrastructure up? Try: bash infra/bin/workspace infra status');
  process.exit(1);
});
