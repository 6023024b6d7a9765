// Benchmark of invoicing's purchases consumer alone, on the real broker and store: a backlog of
// purchase events is put on the topic first, then the service starts and decides it. Prints the
// rate, the time per purchase and the store commands per purchase (prom-client's
// `store_commands_total`, read from the service's /metrics before and after).
//
//   KAFKA_BROKERS=127.0.0.1:19092 MONGO_URL='mongodb://127.0.0.1:37017/?directConnection=true' \
//     node_modules/.bin/tsx services/invoicing/bench/consume-purchases.ts [--purchases 3000] [--sellers 300]
//
// The backlog is shaped like a city's day: every purchase came through a booked pickup of its own;
// every 50th goes to an enterprise that is not registered (refused, with its refusal event); every
// 25th is a correction of the seller's previous purchase (a red-letter invoice and a new one). All
// sales are of one month and far under the exemption threshold, so the number of documents to
// expect is known: 1 per recorded purchase, 2 per correction.
//
// The whole-network benchmark (npm run -s bench:load) showed invoicing as the slowest stage; this
// one isolates it, so a change to the consumer is measured without the other services' noise.
import {
  PurchaseEventTypes,
  eventSource,
  residentIdCheckCharacter,
  sellerKeyOf,
  type PurchaseCorrectedData,
  type PurchaseRecordedData,
} from '@recycling/contracts';
import { FIXTURE_PEPPER, issuers, purchaseRecorded } from '@recycling/contracts/fixtures';
import { EventPublisher, createEventFactory, registryCatalog, type PendingEvent } from '@recycling/messaging';
import { createLogger } from '@recycling/observability';
import { LOCAL_DEV_JWT_SECRET, loadConfig, startService } from '@recycling/service-kit';
import {
  freePort,
  requireEnv,
  testKafka,
  testMongoUrl,
  uniqueName,
  uniqueTopicPrefix,
} from '@recycling/testkit';
import type { Connection } from 'mongoose';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import request from 'supertest';
import { putEnterprise } from '../src/app/enterprises';
import { InvoicingConfig } from '../src/config';
import { invoicingService } from '../src/service';

const { values } = parseArgs({
  options: {
    purchases: { type: 'string', default: '3000' },
    sellers: { type: 'string', default: '300' },
  },
});
const PURCHASES = Number(values.purchases);
const SELLERS = Number(values.sellers);
if (!(PURCHASES > 0 && SELLERS > 0)) throw new Error('--purchases and --sellers must be positive numbers');
const say = (line: string) => console.log(`[bench] ${line}`);

type App = Parameters<typeof request>[0];

/** `store_commands_total` by command, as the service's /metrics shows it now. */
async function storeCommands(app: App): Promise<Map<string, number>> {
  const res = await request(app).get('/metrics').expect(200);
  const counts = new Map<string, number>();
  for (const [, command, n] of res.text.matchAll(/^store_commands_total\{command="([^"]+)"\} (\d+)$/gm)) {
    counts.set(command!, Number(n));
  }
  return counts;
}

/** The backlog: recorded purchases, a few for an unregistered enterprise, a few corrections. */
function backlog(runId: string): {
  events: PendingEvent[];
  documents: number;
  corrections: number;
  refusals: number;
} {
  const makeEvent = createEventFactory({
    catalog: registryCatalog,
    source: eventSource('659002', 'sorting'),
  });
  const sellers = Array.from({ length: SELLERS }, (_, i) => {
    const first17 = `6590021980010${String(1000 + i).slice(-4)}`;
    const idNumber = first17 + residentIdCheckCharacter(first17);
    return {
      sellerKey: sellerKeyOf('resident-id-card', idNumber, FIXTURE_PEPPER),
      name: `卖家${i}`,
      idType: 'resident-id-card' as const,
      idNumber,
    };
  });
  const issued = new Map<number, PurchaseRecordedData>(); // seller → last purchase invoiced, uncorrected
  const events: PendingEvent[] = [];
  let documents = 0;
  let corrections = 0;
  let refusals = 0;
  const now = new Date().toISOString();
  for (let k = 0; k < PURCHASES; k++) {
    const s = k % SELLERS;
    const earlier = issued.get(s);
    if (k % 25 === 24 && earlier) {
      const fen = earlier.totalFen - 1_000;
      const corrected: PurchaseCorrectedData = {
        ...earlier,
        revision: 2,
        reason: '复称后调整收购价',
        lines: [{ ...earlier.lines[0]!, unitPriceFen: fen, amountFen: fen }],
        totalFen: fen,
      };
      events.push(makeEvent(PurchaseEventTypes.corrected, corrected));
      issued.delete(s);
      documents += 2;
      corrections += 1;
      continue;
    }
    const refused = k % 50 === 13;
    const data: PurchaseRecordedData = {
      ...purchaseRecorded,
      purchaseId: `intake:BENCH-${runId}-${k}`,
      pickupId: `pk-bench-${runId}-${k}`,
      buyer: { enterpriseId: refused ? 'ent-not-registered' : issuers.lvyuan.enterpriseId },
      seller: sellers[s]!,
      lines: [{ ...purchaseRecorded.lines[0]!, unitPriceFen: 20_000, amountFen: 20_000 }],
      totalFen: 20_000,
      occurredAt: now,
      paidAt: now,
    };
    events.push(makeEvent(PurchaseEventTypes.recorded, data));
    if (refused) refusals += 1;
    else issued.set(s, data);
    documents += 1;
  }
  return { events, documents, corrections, refusals };
}

async function main(): Promise<void> {
  const prefix = uniqueTopicPrefix('bench-inv');
  const dbName = uniqueName('bench-inv').replace(/[^a-zA-Z0-9_-]/g, '_');
  const config = loadConfig(InvoicingConfig, {
    PORT: String(await freePort()),
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    MONGO_URL: testMongoUrl(dbName),
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    TOPIC_PREFIX: prefix,
    SELLER_KEY_SECRET: FIXTURE_PEPPER,
    FEED_SETTLE_MS: '0',
    DECLARATION_SCHEDULE_MS: '0',
  });
  const logger = createLogger({
    service: 'invoicing',
    level: (process.env.BENCH_LOG_LEVEL ?? 'warn') as 'warn',
  });
  const boot = () => startService(invoicingService, { config, logger });

  // The topics exist once the service has started; publish with the service stopped, so that the
  // consumer meets a backlog and the figure is its own rate, not the publisher's.
  say('creating topics and the issuer…');
  let service = await boot();
  await putEnterprise(service.ctx, issuers.lvyuan.enterpriseId, {
    name: issuers.lvyuan.name,
    taxpayerId: issuers.lvyuan.taxpayerId,
    qualification: { type: 'recycler-filing', number: 'BA-659002-1' },
    vatMethod: issuers.lvyuan.vatMethod,
    status: 'active',
    siteIds: [],
  });
  await service.stop();

  const work = backlog(prefix.slice(-6));
  const kafka = testKafka('bench-inv');
  const publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();
  say(
    `publishing ${PURCHASES} purchases of ${SELLERS} sellers (${work.corrections} corrections, ` +
      `${work.refusals} for an unregistered enterprise)…`,
  );
  for (let i = 0; i < work.events.length; i += 500) await publisher.publish(work.events.slice(i, i + 500));
  await publisher.disconnect();

  // Progress is watched on the broker, never on the store: FerretDB answers a count by reading and
  // converting the whole collection, and a poll of the invoices every 100 ms slowed the service it
  // measured by a third (measured). The purchases are decided once the consumer group has committed
  // every offset of the topic (a run's documents exist before its offsets are committed), and
  // published once the invoices topic holds an event per document.
  const admin = kafka.admin();
  await admin.connect();
  const purchasesTopic = `${prefix}.recycling.purchases.v1`;
  const invoicesTopic = `${prefix}.recycling.invoices.v1`;
  const sum = (offsets: ReadonlyArray<{ offset: string }>) =>
    offsets.reduce((n, o) => n + Math.max(0, Number(o.offset)), 0);
  const highs = (await admin.fetchTopicOffsets(purchasesTopic)).map((o) => ({ offset: o.high }));
  const onTopic = sum(highs);
  const eventsBefore = sum((await admin.fetchTopicOffsets(invoicesTopic)).map((o) => ({ offset: o.high })));
  const decidedCount = async () =>
    sum(
      (await admin.fetchOffsets({ groupId: `${prefix}.invoicing.purchases`, topics: [purchasesTopic] }))[0]!
        .partitions,
    );
  const eventCount = async () =>
    sum((await admin.fetchTopicOffsets(invoicesTopic)).map((o) => ({ offset: o.high }))) - eventsBefore;

  say('starting the service and timing the backlog…');
  const bootStart = performance.now();
  service = await boot();
  const start = performance.now();
  const before = await storeCommands(service.app);
  const costs = watchCommands(service.connection);
  const cpuBefore = process.cpuUsage();
  let done = 0;
  let lastReport = start;
  while (done < onTopic) {
    await new Promise((r) => setTimeout(r, 50));
    done = await decidedCount();
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      say(`  ${done}/${onTopic} purchases decided`);
    }
  }
  const decidedAt = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  // Publication (the outbox relay) runs behind; its commands belong to the purchases too.
  while ((await eventCount()) < work.documents) await new Promise((r) => setTimeout(r, 50));
  const publishedAt = performance.now();
  const after = await storeCommands(service.app);
  costs.stop();
  await admin.disconnect();
  const kinds = await service.connection
    .collection('invoices')
    .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$kind', n: { $sum: 1 } } }])
    .toArray();

  await service.connection.dropDatabase();
  await service.stop();

  const seconds = (decidedAt - start) / 1000;
  const commands = [...after].map(([name, n]) => [name, n - (before.get(name) ?? 0)] as const);
  const total = commands.reduce((s, [, n]) => s + n, 0);
  const perPurchase = (n: number) => (n / PURCHASES).toFixed(2);
  console.log('');
  console.log(`invoicing purchases consumer: ${PURCHASES} purchases of ${SELLERS} sellers`);
  console.log(
    `  documents      ${kinds
      .sort((a, b) => a._id.localeCompare(b._id))
      .map((k) => `${k.n} ${k._id}`)
      .join(', ')} (${work.documents} expected)`,
  );
  console.log(
    `  decided in     ${seconds.toFixed(2)} s (all published after ${((publishedAt - start) / 1000).toFixed(2)} s; start-up ${((start - bootStart) / 1000).toFixed(2)} s not counted)`,
  );
  console.log(`  rate           ${(PURCHASES / seconds).toFixed(1)} purchases/s`);
  console.log(`  per purchase   ${((seconds * 1000) / PURCHASES).toFixed(2)} ms`);
  console.log(
    `  store commands ${total} in all, ${perPurchase(total)} per purchase (${commands
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${perPurchase(n)}`)
      .join(', ')})`,
  );
  console.log(
    `  what they cost (driver's round trip, from command monitoring; they overlap, so times add up to more than the wall clock):`,
  );
  for (const [name, c] of [...costs.byCommand].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `    ${name.padEnd(36)} ${String(c.n).padStart(6)} commands (${perPurchase(c.n)}/purchase), ` +
        `${String(c.statements).padStart(6)} statements, ${(c.ms / c.n).toFixed(1).padStart(6)} ms each, ` +
        `${(c.ms / 1000).toFixed(1).padStart(5)} s in all`,
    );
  }
  console.log(
    `  this process   ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU while deciding, ` +
      `${((cpu.user + cpu.system) / 1e3 / PURCHASES).toFixed(2)} ms per purchase (the store and the broker are other processes)`,
  );
  const [load1, load5] = loadavg();
  console.log(
    `  machine        load average ${load1!.toFixed(1)} (1 min), ${load5!.toFixed(1)} (5 min) on ${cpus().length} cores`,
  );
}

/**
 * The service's store commands by name and collection: how many, how many statements (documents
 * inserted, updates, deletes), and their time from the driver's command monitoring.
 */
function watchCommands(connection: Connection) {
  const client = connection.getClient();
  const started = new Map<number, string>();
  const byCommand = new Map<string, { n: number; statements: number; ms: number }>();
  const onStart = (e: { requestId: number; commandName: string; command: Record<string, unknown> }) => {
    const target = e.command[e.commandName];
    const name = typeof target === 'string' ? `${e.commandName} ${target}` : e.commandName;
    const items = e.command.documents ?? e.command.updates ?? e.command.deletes;
    const entry = byCommand.get(name) ?? { n: 0, statements: 0, ms: 0 };
    entry.n += 1;
    entry.statements += Array.isArray(items) ? items.length : 1;
    byCommand.set(name, entry);
    started.set(e.requestId, name);
  };
  const onEnd = (e: { requestId: number; duration: number }) => {
    const name = started.get(e.requestId);
    if (name === undefined) return;
    started.delete(e.requestId);
    byCommand.get(name)!.ms += e.duration;
  };
  client.on('commandStarted', onStart);
  client.on('commandSucceeded', onEnd);
  client.on('commandFailed', onEnd);
  return {
    byCommand,
    stop() {
      client.off('commandStarted', onStart);
      client.off('commandSucceeded', onEnd);
      client.off('commandFailed', onEnd);
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  console.error('[bench] failed: is the local infrastructure up? bash infra/bin/workspace infra status');
  process.exit(1);
});
