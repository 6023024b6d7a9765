// Faults on the running network: services killed (SIGKILL, no graceful shutdown) in the middle of
// traffic and restarted, and a poison event among good ones. Afterwards the tax office's invoices and
// the statistics must equal the owners' records: nothing lost, nothing doubled.
// (Stopping the shared broker or store is out of scope here: other test runs use them.)
import { DLQ_HEADERS, sellerKeyOf } from '@recycling/contracts';
import { readDeadLetters } from '@recycling/messaging';
import { testKafka } from '@recycling/testkit';
import { randomUUID } from 'node:crypto';
import {
  PEOPLE,
  readFeed,
  recordIntake,
  setUpCity,
  startE2e,
  statCell,
  waitFor,
  type E2e,
  type FeedItem,
} from './support/network';
import { stationRecords } from './support/books';

jest.setTimeout(600_000);

let e: E2e;

beforeAll(async () => {
  e = await startE2e();
  await setUpCity(e);
});

afterAll(async () => {
  await e?.stop();
});

const sellers = [PEOPLE.wang, PEOPLE.ayigul, PEOPLE.li];

const issuedOf = (feed: FeedItem[]) => feed.filter((i) => i.kind === 'issued');

describe('a service killed mid-flow', () => {
  it('loses and doubles nothing when sorting, then invoicing, then statistics are killed and restarted', async () => {
    const recorded: { intakeId: string; seller: string; fen: number }[] = [];
    const record = async (n: number) => {
      const seller = sellers[n % sellers.length]!;
      const fen = { fridge: 10_000 + n * 100, washer: 5_000 + n * 100 };
      const reply = await recordIntake(e, undefined, seller, fen);
      expect(reply.status).toBe(201);
      recorded.push({ intakeId: reply.body.intakeId, seller: seller.idNumber, fen: fen.fridge + fen.washer });
    };

    for (let n = 0; n < 3; n++) await record(n);
    // Killed the instant the intake is accepted: its purchase event may still be in the outbox.
    await record(3);
    await e.net.restart('sorting');
    await record(4);
    await record(5);
    // The consumer of purchases dies while it has work in hand.
    await record(6);
    await e.net.restart('invoicing');
    await record(7);
    await e.net.restart('statistics');
    await record(8);

    const owners = await stationRecords(e);
    expect(owners.map((o) => o.intakeId).sort()).toEqual(recorded.map((r) => r.intakeId).sort());
    const expectedFen = owners.reduce((s, o) => s + o.totalFen, 0);
    expect(expectedFen).toBe(recorded.reduce((s, r) => s + r.fen, 0));

    const feed = await waitFor(
      async () => {
        const f = await readFeed(e);
        return issuedOf(f).length >= recorded.length && f;
      },
      { what: `${recorded.length} invoices in the feed`, timeoutMs: 120_000 },
    );
    // Let anything late (a redelivered event) arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const settled = await readFeed(e);
    expect(settled.length).toBe(feed.length);
    const issued = issuedOf(settled);
    expect(issued).toHaveLength(recorded.length);
    expect(new Set(issued.map((i) => i.data.purchaseId)).size).toBe(recorded.length);
    expect(new Set(issued.map((i) => i.data.invoiceNo)).size).toBe(recorded.length);
    expect(settled.filter((i) => i.kind !== 'issued')).toEqual([]);

    // Totals per seller: the feed against what the station paid each of them.
    for (const seller of sellers) {
      const paid = recorded.filter((r) => r.seller === seller.idNumber).reduce((s, r) => s + r.fen, 0);
      const invoiced = issued
        .filter((i) => i.data.seller.idNumber === seller.idNumber)
        .reduce((s, i) => s + i.data.totals.amountFen, 0);
      expect({ seller: seller.name, invoiced }).toEqual({ seller: seller.name, invoiced: paid });
    }

    // Statistics equal the owners' records.
    const units = owners.reduce((s, o) => s + o.units, 0);
    const grams = owners.reduce((s, o) => s + o.grams, 0);
    await waitFor(
      async () =>
        (await statCell(e, 'invoices', 'issued')) === recorded.length &&
        (await statCell(e, 'appliances', 'units')) === units,
      { what: 'statistics to catch up', timeoutMs: 120_000 },
    );
    expect(await statCell(e, 'appliances', 'grams')).toBe(grams);
    expect(await statCell(e, 'invoices', 'amountFen')).toBe(expectedFen);

    // And the owners' counts, handed to statistics' reconciliation, show no difference.
    const admin = await e.token('administrator');
    const month = issued[0]!.data.period as string;
    const reconciled = await e.call('statistics', 'POST', '/reconciliation/owner-counts', admin, {
      owner: 'sorting and invoicing',
      counts: [
        { metric: 'appliances', month, field: 'units', count: units },
        { metric: 'appliances', month, field: 'grams', count: grams },
        { metric: 'invoices', month, field: 'issued', count: recorded.length },
        { metric: 'invoices', month, field: 'amountFen', count: expectedFen },
      ],
    });
    expect(reconciled.status).toBe(200);
    expect(reconciled.body).toMatchObject({ matches: true, differences: [] });
    // The comparison can fail: one unit more than was counted is reported.
    const off = await e.call('statistics', 'POST', '/reconciliation/owner-counts', admin, {
      owner: 'sorting',
      counts: [{ metric: 'appliances', month, field: 'units', count: units + 1 }],
    });
    expect(off.body.matches).toBe(false);
  });
});

describe('a poison event', () => {
  it('goes to the DLQ with its reason, and the good events around it are processed', async () => {
    const seller = PEOPLE.wang;
    const first = await recordIntake(e, undefined, seller, { fridge: 30_000, washer: 1_000 });
    expect(first.status).toBe(201);

    // A purchase event with a valid envelope and invalid data, on the same partition as the seller's
    // good purchases (the key is the seller key), written straight to the topic.
    const topic = `${e.net.topicPrefix}.recycling.purchases.v1`;
    const poisonId = randomUUID();
    const kafka = testKafka('e2e-poison');
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: [
          {
            key: sellerKeyOf(
              'resident-id-card',
              seller.idNumber,
              e.net.services.sorting.env.SELLER_KEY_SECRET!,
            ),
            value: JSON.stringify({
              purchaseId: `intake:poison-${poisonId.slice(0, 8)}`,
              totalFen: 'a lot',
              lines: 7,
            }),
            headers: {
              ce_specversion: '1.0',
              ce_id: poisonId,
              ce_type: 'recycling.purchase.recorded.v1',
              ce_source: 'urn:recycling:659002:sorting',
              ce_time: new Date().toISOString(),
              'content-type': 'application/json',
            },
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const second = await recordIntake(e, undefined, seller, { fridge: 40_000, washer: 2_000 });
    expect(second.status).toBe(201);

    // The good purchase behind the poison on the same partition is invoiced: the consumer moved on.
    const wanted = [`intake:${first.body.intakeId}`, `intake:${second.body.intakeId}`];
    const feed = await waitFor(
      async () => {
        const f = issuedOf(await readFeed(e));
        return wanted.every((p) => f.some((i) => i.data.purchaseId === p)) && f;
      },
      { what: 'both good purchases invoiced', timeoutMs: 120_000 },
    );
    for (const p of wanted) expect(feed.filter((i) => i.data.purchaseId === p)).toHaveLength(1);
    expect(feed.some((i) => String(i.data.purchaseId).includes('poison'))).toBe(false);

    const letters = await waitFor(
      async () => {
        const all = await readDeadLetters(kafka, 'recycling.purchases.v1', e.net.topicPrefix).catch(() => []);
        const mine = all.filter((l) => l.eventId === poisonId);
        return (
          mine.some(
            (l) =>
              l.consumerGroup?.endsWith('.invoicing.purchases') || l.consumerGroup?.includes('invoicing'),
          ) && mine
        );
      },
      { what: 'the poison event on the DLQ', timeoutMs: 60_000 },
    );
    const letter = letters.find((l) => l.consumerGroup?.includes('.invoicing.'))!;
    expect(letter.errorKind).toBe('invalid-data');
    expect(letter.reason).toMatch(/schema/);
    expect(letter.headers[DLQ_HEADERS.originalTopic]).toBe('recycling.purchases.v1');
    expect(letter.value).toContain('a lot');
  });
});
