import {
  PurchaseEventTypes,
  IntakeEventTypes,
  sellerKeyOf,
  type PurchaseRecordedData,
} from '@recycling/contracts';
import { collectMessages, testKafka, uniqueTopicPrefix, waitFor, testMongoUrl } from '@recycling/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import {
  SELLER_KEY_SECRET,
  bearer,
  personSeller,
  pickupStory,
  publishPickupEvents,
  startSorting,
  uniqueDbName,
  type SortingService,
} from './support';

// Must show: a pickup's collection leads to an intake whose purchase event reaches the purchases
// topic exactly once, even when the service dies between saving the intake and publishing it.

const prefix = uniqueTopicPrefix('sorting-outbox');
const dbName = uniqueDbName('sorting-outbox');
const stationId = 'st-xingfulu-01';
const kafka = testKafka('sorting-outbox-test');
const running: SortingService[] = [];

const start = async (publishOutbox = true) => {
  const service = await startSorting(dbName, prefix, { publishOutbox });
  running.push(service);
  return service;
};

afterAll(async () => {
  for (const s of running) await s.stop();
  const db = await mongoose.createConnection(testMongoUrl(dbName)).asPromise();
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

it('publishes the purchase of a pickup intake exactly once although the first instance died before publishing', async () => {
  // An instance whose relay never publishes: every save is followed by a "crash".
  const doomed = await start(false);
  const admin = await bearer('administrator');
  const operator = await bearer('station-operator', stationId);
  await request(doomed.app)
    .put(`/stations/${stationId}`)
    .set('Authorization', admin)
    .send({ name: '幸福路家电分拣回收站', districtCode: 's-jinyinchuanlu', enterpriseId: 'ent-lvyuan' })
    .expect(200);

  const pickupId = `pk-${Date.now().toString(36)}`;
  const story = pickupStory(pickupId, stationId);
  await publishPickupEvents(prefix, [story.requested, story.scheduled, story.collected]);
  const arrival = await waitFor(
    async () => {
      const res = await request(doomed.app)
        .get(`/stations/${stationId}/expected-arrivals`)
        .set('Authorization', operator)
        .expect(200);
      return (res.body.arrivals as Array<{ pickupId: string; status: string }>).find(
        (a) => a.pickupId === pickupId && a.status === 'collected',
      );
    },
    { what: 'the collected pickup among the expected arrivals' },
  );
  // What the crew reported taking replaces the booking on the desk's list.
  expect((arrival as unknown as { expected: unknown }).expected).toEqual([
    { category: 'refrigerator', count: 1 },
    { category: 'washing-machine', count: 1 },
  ]);

  // The crew brought a fridge and a TV instead of the booked washer.
  const recorded = await request(doomed.app)
    .post(`/stations/${stationId}/intakes`)
    .set('Authorization', operator)
    .send({
      source: { kind: 'pickup', pickupId },
      seller: personSeller,
      lines: [
        {
          category: 'refrigerator',
          units: 1,
          weightGrams: 52_300,
          condition: 'for-dismantling',
          priceFen: 12_000,
        },
        { category: 'television', units: 1, condition: 'reusable', priceFen: 5_000 },
      ],
    })
    .expect(201);
  const intakeId = recorded.body.intakeId as string;
  expect(recorded.body.seller).toMatchObject({ nameMasked: '王**', idNumberMasked: '659002********4511' });
  expect(recorded.body.districtCode).toBe(story.data.districtCode); // the pickup's district, not the station's
  const stored = await doomed.ctx.intakes.find(intakeId);
  expect(stored?.outbox.map((e) => e.type)).toEqual([IntakeEventTypes.recorded, PurchaseEventTypes.recorded]);
  await doomed.stop();

  // Nothing reached the purchases topic while the first instance ran.
  const purchases = await collectMessages(kafka, [
    `${prefix}.recycling.purchases.v1`,
    `${prefix}.recycling.intakes.v1`,
  ]);
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(purchases.received).toHaveLength(0);

    // The next instance publishes what the dead one saved; a third one publishes nothing again.
    const successor = await start();
    const isOurPurchase = (m: { topic: string; value?: string }) =>
      m.topic.endsWith('purchases.v1') &&
      (JSON.parse(m.value!) as PurchaseRecordedData).purchaseId === `intake:${intakeId}`;
    await waitFor(() => purchases.received.find(isOurPurchase), { what: 'the purchase on the topic' });
    await successor.stop();
    const third = await start();
    await third.messaging.relay.flush();
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const ours = purchases.received.filter(isOurPurchase);
    expect(ours).toHaveLength(1);
    const [message] = ours;
    const sellerKey = sellerKeyOf('resident-id-card', personSeller.idNumber, SELLER_KEY_SECRET);
    expect(message!.key).toBe(sellerKey);
    expect(message!.headers).toMatchObject({
      ce_type: PurchaseEventTypes.recorded,
      ce_source: 'urn:recycling:659002:sorting',
    });
    const purchase = JSON.parse(message!.value!) as PurchaseRecordedData;
    expect(purchase).toMatchObject({
      purchaseId: `intake:${intakeId}`,
      revision: 1,
      buyer: { enterpriseId: 'ent-lvyuan' },
      siteId: stationId,
      seller: { sellerKey, name: '王建新', idType: 'resident-id-card', idNumber: personSeller.idNumber },
      totalFen: 17_000,
      evidence: { weighingRecordId: `wr-${intakeId}`, paymentRecordId: `pay-${intakeId}` },
    });
    expect(purchase.lines.map((l) => [l.goodsName, l.quantity, l.unitPriceFen, l.amountFen])).toEqual([
      ['*废旧物资*废旧电冰箱', '1', 12_000, 12_000],
      ['*废旧物资*废旧电视机', '1', 5_000, 5_000],
    ]);
    expect(purchase.evidence.consentRecordedAt).toEqual(expect.any(String));

    const intakes = purchases.received.filter((m) => m.topic.endsWith('intakes.v1') && m.key === intakeId);
    expect(intakes).toHaveLength(1);
    expect(JSON.parse(intakes[0]!.value!)).toMatchObject({
      source: { kind: 'pickup', pickupId },
      seller: { kind: 'person', sellerKey },
      contents: { totalFen: 17_000 },
    });
    expect(intakes[0]!.value).not.toContain('王建新'); // the intakes topic carries no identity

    // The desk no longer expects the pickup, and the difference against the booking shows.
    const arrivals = await request(third.app)
      .get(`/stations/${stationId}/expected-arrivals`)
      .set('Authorization', operator)
      .expect(200);
    expect(arrivals.body.arrivals.map((a: { pickupId: string }) => a.pickupId)).not.toContain(pickupId);
    const custody = await request(third.app)
      .get(`/intakes/${intakeId}/custody`)
      .set('Authorization', operator)
      .expect(200);
    expect(custody.body.pickup.differences).toEqual([
      { category: 'washing-machine', booked: 1, received: 0, difference: -1 },
      { category: 'television', booked: 0, received: 1, difference: 1 },
    ]);
  } finally {
    await purchases.stop();
  }
});
