// The broker and the store fail under traffic. This file's network runs on a private Kafka broker
// and store (testkit's startPrivateInfra; every other test file keeps using the shared ones, which
// must never be stopped), so they can be killed and started again while a station desk records
// intakes. The services are never restarted: they must recover by themselves. Afterwards the books
// must balance: one invoice per intake with a number of its own, totals per seller equal to what
// the station paid, statistics equal to the station's records.
import fs from 'node:fs';
import path from 'node:path';
import { startPrivateInfra, type PrivateTestInfra } from '@recycling/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { Desk, expectBooksBalance, sellers, setUpStation } from './support/books';
import { STATION, startE2e, waitFor, type E2e, type ServiceName } from './support/network';

jest.setTimeout(900_000);

const SERVICES = ['sorting', 'invoicing', 'statistics'] as const;

let infra: PrivateTestInfra;
let e: E2e;
let desk: Desk;

beforeAll(async () => {
  infra = await startPrivateInfra({ name: 'e2e-infra-faults' });
  e = await startE2e(SERVICES, { kafkaBrokers: infra.kafkaBrokers, mongoUrl: infra.mongoUrl });
  await setUpStation(e);
  desk = new Desk(e, sellers(6));
});

afterAll(async () => {
  // The services' whole log, for whoever reads a failure after the run (an ignored folder).
  if (e) {
    const reports = path.resolve(__dirname, '../../infra/.data/test');
    fs.mkdirSync(reports, { recursive: true });
    fs.writeFileSync(path.join(reports, 'infra-faults-services.log'), e.output());
  }
  await e?.stop();
  await infra?.dispose();
});

interface Plain {
  status: number;
  contentType: string;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

/** A GET with a patient client: while the store is down an answer takes the driver's 30 s. */
async function get(service: ServiceName, path: string, auth?: string): Promise<Plain> {
  const res = await fetch(`${e.net.services[service].url}${path}`, {
    headers: auth ? { authorization: `Bearer ${auth}` } : {},
    signal: AbortSignal.timeout(60_000),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

/** The services' JSON log lines written since `from` (an index into e.output()). */
function logSince(from: number): Array<Record<string, unknown>> {
  return e
    .output()
    .slice(from)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

const errType = (l: Record<string, unknown>) => (l.err as { type?: string } | undefined)?.type;

describe('the broker stops during traffic', () => {
  it('accepts intakes into the outbox while it is down, and invoices each exactly once after it returns', async () => {
    await desk.recordMany(0, 6);
    const kafka = new Kafka({ brokers: [infra.kafkaBrokers], logLevel: logLevel.NOTHING });
    const group = `${e.net.topicPrefix}.invoicing.purchases`;
    const topic = `${e.net.topicPrefix}.recycling.purchases.v1`;
    const admin = kafka.admin();
    await admin.connect();
    // Invoicing has consumed and committed the six purchases recorded so far.
    const committed = await waitFor(
      async () => {
        const { partitions } = (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!;
        return partitions.reduce((s, p) => s + Math.max(Number(p.offset), 0), 0) >= 6 && partitions;
      },
      { what: 'offsets of the six purchases committed', timeoutMs: 120_000, intervalMs: 500 },
    );
    const before = {
      clusterId: (await admin.describeCluster()).clusterId,
      topics: await admin.listTopics(),
      offsets: committed,
    };
    await admin.disconnect();

    const logFrom = e.output().length;
    await infra.stopKafka({ signal: 'SIGKILL' });

    // The desk goes on: each intake and its events are saved in one write, the outbox keeps them.
    const answered = desk.answers.length;
    await desk.recordMany(6, 12);
    const outage = desk.answers.slice(answered);
    expect(outage.map((a) => a.status)).toEqual(outage.map(() => 201));
    expect(Math.max(...outage.map((a) => a.ms))).toBeLessThan(10_000);

    // Still in the load balancer (no HTTP API needs the broker), the broker reported as failed.
    for (const service of SERVICES) {
      const ready = await get(service, '/readyz');
      expect({ service, status: ready.status, body: ready.body }).toMatchObject({
        service,
        status: 200,
        body: { status: 'degraded', checks: { mongo: { status: 'ok' }, kafka: { status: 'failed' } } },
      });
    }
    const tax = await e.token('tax-officer');
    expect((await get('invoicing', '/feed/invoices?limit=5', tax)).status).toBe(200);

    // The outage outlasts the clients' own retries: every consumer gives up and is restarted, every
    // relay pass fails. Then the broker comes back.
    await waitFor(
      () => {
        const lines = logSince(logFrom);
        const crashed = (service: string) =>
          lines.some(
            (l) =>
              l.service === service &&
              l.msg === 'consumer crashed; kafkajs restarts it' &&
              errType(l) === 'KafkaJSNumberOfRetriesExceeded',
          );
        const relayFailed = lines.some(
          (l) => l.service === 'sorting' && l.msg === 'outbox relay pass failed; will retry',
        );
        return SERVICES.every(crashed) && relayFailed;
      },
      {
        what: "the consumers and the relay to exhaust kafkajs' retries",
        timeoutMs: 180_000,
        intervalMs: 1_000,
      },
    );
    await infra.startKafka();

    // The same cluster, with its topics and the consumer group's committed offsets.
    const admin2 = kafka.admin();
    await admin2.connect();
    expect((await admin2.describeCluster()).clusterId).toBe(before.clusterId);
    expect(await admin2.listTopics()).toEqual(expect.arrayContaining(before.topics));
    const offsets = (await admin2.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions;
    for (const p of before.offsets) {
      const now = offsets.find((o) => o.partition === p.partition)!;
      expect(Number(now.offset)).toBeGreaterThanOrEqual(Number(p.offset));
    }
    await admin2.disconnect();

    await desk.recordMany(12, 18);
    await expectBooksBalance(e, desk.recorded);
    for (const service of SERVICES) {
      expect((await get(service, '/readyz')).body).toMatchObject({ status: 'ready' });
    }
  });
});

describe('the store stops during traffic', () => {
  it('answers 503 problem+json while it is down; the desk retries with its key; nothing is lost or doubled', async () => {
    await desk.recordMany(18, 22);
    await infra.stopStore({ signal: 'SIGKILL' });

    const answered = desk.answers.length;
    const pending = desk.recordMany(22, 28, 2, { giveUpAfterMs: 300_000 });
    pending.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    const admin = await e.token('administrator');
    const [read, ...readiness] = await Promise.all([
      get('sorting', `/stations/${STATION.siteId}/intakes?limit=5`, admin),
      ...SERVICES.map((s) => get(s, '/readyz')),
    ]);
    // A clear refusal, not a 500: the client knows to try again later.
    expect(read).toMatchObject({ status: 503, retryAfter: '5', body: { status: 503 } });
    expect(read.contentType).toMatch(/^application\/problem\+json/);
    for (const ready of readiness) {
      expect(ready).toMatchObject({ status: 503, body: { checks: { mongo: { status: 'failed' } } } });
    }
    // The desk's first attempts have been refused the same way before the store comes back.
    await waitFor(() => desk.answers.slice(answered).filter((a) => a.status === 503).length >= 2, {
      what: 'the desk to be answered 503',
      timeoutMs: 60_000,
    });
    await infra.startStore();
    await pending;
    await desk.recordMany(28, 32);

    const outage = desk.answers.slice(answered);
    const refusals = outage.filter((a) => a.status !== 201);
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    for (const a of refusals) {
      // 503 from the store, or 409 "in progress" from the Idempotency-Key guard if the store went
      // away in the middle of a request; both say when to try again.
      expect({ status: a.status, problem: a.contentType?.startsWith('application/problem+json') }).toEqual({
        status: a.status === 409 ? 409 : 503,
        problem: true,
      });
      expect(a.retryAfter).toBeDefined();
    }
    expect(new Set(outage.filter((a) => a.status === 201).map((a) => a.key)).size).toBe(10);

    await expectBooksBalance(e, desk.recorded);
  });
});
