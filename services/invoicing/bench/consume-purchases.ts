// Benchmark of invoicing's purchases consumer alone: N purchases of S sellers are put on the topic
// first, then the service starts and decides them; prints the rate and the time per purchase.
//
//   cd services/invoicing && KAFKA_BROKERS=127.0.0.1:19092 \
//     MONGO_URL='mongodb://127.0.0.1:37017/?directConnection=true' \
//     node_modules/.bin/tsx bench/consume-purchases.ts [--purchases 300] [--sellers 100]
//
// The whole-network benchmark (npm run -s bench:load) showed invoicing as the slowest stage; this
// one isolates it, so a change to the consumer is measured without the other services' noise.
import { PurchaseEventTypes, eventSource, residentIdCheckCharacter, sellerKeyOf } from '@recycling/contracts';
import { FIXTURE_PEPPER, issuers, purchaseRecorded } from '@recycling/contracts/fixtures';
import { EventPublisher, createEventFactory, registryCatalog } from '@recycling/messaging';
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
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { putEnterprise } from '../src/app/enterprises';
import { InvoicingConfig } from '../src/config';
import { invoicingService } from '../src/service';
import { registerModels } from '../src/store/models';

const { values } = parseArgs({
  options: {
    purchases: { type: 'string', default: '300' },
    sellers: { type: 'string', default: '100' },
  },
});
const PURCHASES = Number(values.purchases);
const SELLERS = Number(values.sellers);
const say = (line: string) => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  const prefix = uniqueTopicPrefix('bench-inv');
  const config = loadConfig(InvoicingConfig, {
    PORT: String(await freePort()),
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    MONGO_URL: testMongoUrl(uniqueName('bench-inv').replace(/[^a-zA-Z0-9_-]/g, '_')),
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    TOPIC_PREFIX: prefix,
    SELLER_KEY_SECRET: FIXTURE_PEPPER,
    FEED_SETTLE_MS: '0',
    DECLARATION_SCHEDULE_MS: '0',
  });
  const logger = createLogger({ service: 'invoicing', level: 'warn' });
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

  const kafka = testKafka('bench-inv');
  const publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();
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
  const events = Array.from({ length: PURCHASES }, (_, i) =>
    makeEvent(PurchaseEventTypes.recorded, {
      ...purchaseRecorded,
      purchaseId: `intake:BENCH-${i}`,
      buyer: { enterpriseId: issuers.lvyuan.enterpriseId },
      seller: sellers[i % SELLERS]!,
      occurredAt: new Date().toISOString(),
      paidAt: new Date().toISOString(),
    }),
  );
  say(`publishing ${PURCHASES} purchases of ${SELLERS} sellers…`);
  for (let i = 0; i < events.length; i += 100) await publisher.publish(events.slice(i, i + 100));
  await publisher.disconnect();

  say('starting the service and timing the backlog…');
  const start = performance.now();
  service = await boot();
  const { InvoiceRecord } = registerModels(service.connection);
  const stats = new Map<string, { n: number; ms: number }>();
  if (process.env.BENCH_COMMANDS) {
    const names = new Map<number, string>();
    const client = service.connection.getClient();
    client.on(
      'commandStarted',
      (e: { requestId: number; commandName: string; command: Record<string, unknown> }) => {
        const filter = Object.keys((e.command.filter ?? {}) as object).join(',');
        names.set(e.requestId, `${e.commandName} ${String(e.command[e.commandName])} ${filter}`);
      },
    );
    client.on('commandSucceeded', (e: { requestId: number; commandName: string; duration: number }) => {
      const name = names.get(e.requestId) ?? e.commandName;
      names.delete(e.requestId);
      const s = stats.get(name) ?? { n: 0, ms: 0 };
      s.n += 1;
      s.ms += e.duration;
      stats.set(name, s);
    });
  }
  let done = 0;
  let lastReport = start;
  while (done < PURCHASES) {
    await new Promise((r) => setTimeout(r, 1_000));
    done = await InvoiceRecord.estimatedDocumentCount();
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      say(`  ${done}/${PURCHASES} decided`);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  for (const [name, s] of stats)
    console.log(
      `  ${name}: ${s.n} commands, ${(s.ms / s.n).toFixed(1)} ms avg, ${(s.ms / 1000).toFixed(1)} s total`,
    );
  await service.connection.dropDatabase();
  await service.stop();
  console.log('');
  console.log(`invoicing consumer: ${PURCHASES} purchases of ${SELLERS} sellers in ${seconds.toFixed(1)} s`);
  console.log(
    `  ${(PURCHASES / seconds).toFixed(1)} purchases/s, ${((seconds * 1000) / PURCHASES).toFixed(0)} ms each`,
  );
  console.log(`  (includes the service's start-up, about a second)`);
}

main().catch((error: unknown) => {
  console.error(error);
  console.error('[bench] failed: is the local infrastructure up? bash infra/bin/workspace infra status');
  process.exit(1);
});
