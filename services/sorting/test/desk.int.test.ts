import {
  IntakeEventTypes,
  PurchaseEventTypes,
  sellerKeyOf,
  type IntakeBatchDispatchedData,
  type IntakeCorrectedData,
  type PurchaseCorrectedData,
  type PurchaseRecordedData,
} from '@recycling/contracts';
import {
  collectMessages,
  testKafka,
  uniqueTopicPrefix,
  waitFor,
  type ReceivedMessage,
} from '@recycling/testkit';
import request from 'supertest';
import {
  BatchList,
  BatchView,
  IntakeCustodyView,
  IntakeList,
  IntakeView,
  OneLineCustodyView,
  StationList,
  StationView,
} from '../src/http/schemas';
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

// The desk's flows on the real broker and store: corrections and their events, station scope, bad
// input, and the chain of custody of one item from its pickup to its dispatch batch.

const prefix = uniqueTopicPrefix('sorting-desk');
const stationId = 'st-desk-01';
const otherStationId = 'st-desk-02';
let service: SortingService;
let collector: Awaited<ReturnType<typeof collectMessages>>;
let admin: string;
let operator: string;

beforeAll(async () => {
  service = await startSorting(uniqueDbName('sorting-desk'), prefix);
  collector = await collectMessages(testKafka('sorting-desk-test'), [
    `${prefix}.recycling.intakes.v1`,
    `${prefix}.recycling.purchases.v1`,
  ]);
  admin = await bearer('administrator');
  operator = await bearer('station-operator', stationId);
  for (const [id, district] of [
    [stationId, 's-xingfulu'],
    [otherStationId, 't01'],
  ]) {
    await request(service.app)
      .put(`/stations/${id}`)
      .set('Authorization', admin)
      .send({ name: `回收站 ${id}`, districtCode: district, enterpriseId: 'ent-lvyuan' })
      .expect(200);
  }
});

afterAll(async () => {
  await collector.stop();
  await service.connection.dropDatabase().catch(() => undefined);
  await service.stop();
});

const eventsOf = (type: string, pick: (data: never) => boolean): ReceivedMessage[] =>
  collector.received.filter((m) => m.headers.ce_type === type && pick(JSON.parse(m.value!) as never));

const waitForEvent = (type: string, pick: (data: never) => boolean) =>
  waitFor(() => eventsOf(type, pick)[0], { what: type });

const recordIntake = (body: object, token = operator, station = stationId) =>
  request(service.app).post(`/stations/${station}/intakes`).set('Authorization', token).send(body);

const walkIn = {
  source: { kind: 'walk-in' },
  seller: personSeller,
  lines: [
    {
      category: 'refrigerator',
      units: 1,
      weightGrams: 52_300,
      condition: 'for-dismantling',
      priceFen: 12_000,
    },
    { category: 'washing-machine', units: 1, condition: 'reusable', priceFen: 8_000 },
  ],
};

describe('corrections', () => {
  it('append a revision and emit intake.corrected (before/after) and purchase.corrected', async () => {
    const recorded = await recordIntake(walkIn).expect(201);
    const intakeId = recorded.body.intakeId as string;
    expect(recorded.body.contents.lines[1]).toMatchObject({ weightGrams: 30_000, weightEstimated: true });
    IntakeView.parse(recorded.body); // the documented answer

    const corrected = await request(service.app)
      .post(`/intakes/${intakeId}/corrections`)
      .set('Authorization', operator)
      .send({
        reason: '洗衣机补称重量，按实际重量调整收购价',
        lines: [
          {
            lineId: 'l1',
            category: 'refrigerator',
            units: 1,
            weightGrams: 52_300,
            condition: 'for-dismantling',
            priceFen: 12_000,
          },
          {
            lineId: 'l2',
            category: 'washing-machine',
            units: 1,
            weightGrams: 28_400,
            condition: 'reusable',
            priceFen: 7_000,
          },
        ],
      })
      .expect(201);
    expect(corrected.body.revision).toBe(2);
    IntakeView.parse(corrected.body);
    // Revision 1 is kept as it was.
    expect(corrected.body.revisions[0].contents.totalFen).toBe(20_000);
    expect(corrected.body.revisions[1]).toMatchObject({
      revision: 2,
      reason: '洗衣机补称重量，按实际重量调整收购价',
    });

    const intakeEvent = await waitForEvent(
      IntakeEventTypes.corrected,
      (d: IntakeCorrectedData) => d.intakeId === intakeId,
    );
    const data = JSON.parse(intakeEvent.value!) as IntakeCorrectedData;
    expect(intakeEvent.key).toBe(intakeId);
    expect(data).toMatchObject({ revision: 2, before: { totalFen: 20_000, totalWeightGrams: 82_300 } });
    expect(data.after).toMatchObject({ totalFen: 19_000, totalWeightGrams: 80_700 });
    expect(data.after.lines[1]).toMatchObject({ lineId: 'l2', weightGrams: 28_400, weightEstimated: false });

    const sellerKey = sellerKeyOf('resident-id-card', personSeller.idNumber, SELLER_KEY_SECRET);
    const purchaseEvent = await waitForEvent(
      PurchaseEventTypes.corrected,
      (d: PurchaseCorrectedData) => d.purchaseId === `intake:${intakeId}` && d.revision === 2,
    );
    expect(purchaseEvent.key).toBe(sellerKey);
    const purchase = JSON.parse(purchaseEvent.value!) as PurchaseCorrectedData;
    expect(purchase).toMatchObject({ totalFen: 19_000, reason: '洗衣机补称重量，按实际重量调整收购价' });
    expect(purchase).not.toHaveProperty('pickupId'); // a walk-in came through no pickup
    expect(purchase.lines.map((l) => [l.lineId, l.amountFen])).toEqual([
      ['l1', 12_000],
      ['l2', 7_000],
    ]);

    // Withdrawing the whole intake withdraws the purchase (total 0, no lines) on the same key.
    await request(service.app)
      .post(`/intakes/${intakeId}/corrections`)
      .set('Authorization', operator)
      .send({ reason: '卖方撤回交易', lines: [] })
      .expect(201);
    const withdrawal = await waitForEvent(
      PurchaseEventTypes.corrected,
      (d: PurchaseCorrectedData) => d.purchaseId === `intake:${intakeId}` && d.revision === 3,
    );
    expect(withdrawal.key).toBe(sellerKey);
    expect(JSON.parse(withdrawal.value!)).toMatchObject({ totalFen: 0, lines: [] });
    const third = await waitForEvent(
      IntakeEventTypes.corrected,
      (d: IntakeCorrectedData) => d.intakeId === intakeId && d.revision === 3,
    );
    expect(JSON.parse(third.value!)).toMatchObject({
      before: { totalFen: 19_000 },
      after: { lines: [], totalFen: 0 },
    });
    // Each event exactly once on the topics.
    expect(
      eventsOf(
        PurchaseEventTypes.corrected,
        (d: PurchaseCorrectedData) => d.purchaseId === `intake:${intakeId}`,
      ),
    ).toHaveLength(2);
  });

  it('refuse a correction that changes nothing, or names a line the intake lacks', async () => {
    const intakeId = (await recordIntake(walkIn).expect(201)).body.intakeId as string;
    const unchanged = await request(service.app)
      .post(`/intakes/${intakeId}/corrections`)
      .set('Authorization', operator)
      .send({ reason: '无变化', lines: walkIn.lines.map((l, i) => ({ ...l, lineId: `l${i + 1}` })) })
      .expect(400);
    expect(unchanged.body.errors.map((e: { field: string }) => e.field)).toEqual(['lines']);
    const unknown = await request(service.app)
      .post(`/intakes/${intakeId}/corrections`)
      .set('Authorization', operator)
      .send({ reason: '错行', lines: [{ ...walkIn.lines[0], lineId: 'l7' }] })
      .expect(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['lines.0.lineId']);
  });
});

describe('station scope', () => {
  it('shows an operator their own station only', async () => {
    const own = await request(service.app)
      .get(`/stations/${stationId}`)
      .set('Authorization', operator)
      .expect(200);
    StationView.parse(own.body);
    expect(own.body).toMatchObject({
      stationId,
      districtCode: 's-xingfulu',
      enterpriseId: 'ent-lvyuan',
      active: true,
    });
    await request(service.app).get(`/stations/${otherStationId}`).set('Authorization', operator).expect(403);
    await request(service.app).get('/stations').set('Authorization', operator).expect(403);
    const all = await request(service.app).get('/stations').set('Authorization', admin).expect(200);
    StationList.parse(all.body);
    expect(all.body.stations.map((s: { stationId: string }) => s.stationId)).toEqual([
      stationId,
      otherStationId,
    ]);
  });

  it('keeps an operator from recording, correcting or reading at another station', async () => {
    const elsewhere = await bearer('station-operator', otherStationId);
    const refused = await recordIntake(walkIn, elsewhere, stationId).expect(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const intakes = await request(service.app)
      .get(`/stations/${stationId}/intakes`)
      .set('Authorization', admin)
      .expect(200);
    const before = intakes.body.intakes.length as number;

    const intakeId = (await recordIntake(walkIn).expect(201)).body.intakeId as string;
    await request(service.app)
      .post(`/intakes/${intakeId}/corrections`)
      .set('Authorization', elsewhere)
      .send({ reason: '越权', lines: [] })
      .expect(403);
    await request(service.app).get(`/intakes/${intakeId}`).set('Authorization', elsewhere).expect(403);
    await request(service.app)
      .get(`/stations/${stationId}/expected-arrivals`)
      .set('Authorization', elsewhere)
      .expect(403);
    // A resident may not record at all, and an anonymous caller is not let in.
    await recordIntake(walkIn, await bearer('resident', 'r-1'), stationId).expect(403);
    await request(service.app).post(`/stations/${stationId}/intakes`).send(walkIn).expect(401);

    const after = await request(service.app)
      .get(`/stations/${stationId}/intakes`)
      .set('Authorization', admin)
      .expect(200);
    expect(after.body.intakes).toHaveLength(before + 1); // only the operator's own recording
    IntakeList.parse(after.body);
    expect(
      (await request(service.app).get(`/intakes/${intakeId}`).set('Authorization', operator).expect(200)).body
        .revision,
    ).toBe(1);
  });
});

describe('bad input', () => {
  const fieldsOf = (res: request.Response) =>
    (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();

  it('names an unknown category and a negative weight', async () => {
    const res = await recordIntake({
      ...walkIn,
      lines: [
        { category: 'steam-engine', units: 1, condition: 'reusable', priceFen: 100 },
        { category: 'television', units: 1, weightGrams: -5, condition: 'reusable', priceFen: 100 },
      ],
    }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title_zh: expect.any(String) });
    expect(fieldsOf(res)).toEqual(['lines.0.category', 'lines.1.weightGrams']);
  });

  it('records the old appliance of a trade-in counter sale naming the sale, and only for that kind', async () => {
    const res = await recordIntake({
      ...walkIn,
      source: { kind: 'retailer-trade-in', counterSaleId: 'cs-20261203-0001' },
    }).expect(201);
    expect(res.body.source).toEqual({ kind: 'retailer-trade-in', counterSaleId: 'cs-20261203-0001' });
    const wrong = await recordIntake({
      ...walkIn,
      source: { kind: 'walk-in', counterSaleId: 'cs-20261203-0002' },
    }).expect(400);
    expect(fieldsOf(wrong)).toEqual(['source.counterSaleId']);
  });

  it('refuses a payment dated ahead of the clock (it would be invoiced into a period not begun)', async () => {
    const res = await recordIntake({
      ...walkIn,
      paidAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    }).expect(400);
    expect(fieldsOf(res)).toEqual(['paidAt']);
    expect(res.body.code).toBe('paid-in-future');
    // A desk clock a minute fast is not refused.
    await recordIntake({ ...walkIn, paidAt: new Date(Date.now() + 60_000).toISOString() }).expect(201);
  });

  it('names the missing id and consent of a natural-person sale', async () => {
    const { idNumber: _id, consentToReverseInvoicing: _consent, ...noIdNoConsent } = personSeller;
    const res = await recordIntake({ ...walkIn, seller: noIdNoConsent }).expect(400);
    expect(fieldsOf(res)).toEqual(['seller.consentToReverseInvoicing', 'seller.idNumber']);

    const refused = await recordIntake({
      ...walkIn,
      seller: { ...personSeller, consentToReverseInvoicing: false },
    }).expect(400);
    expect(fieldsOf(refused)).toEqual(['seller.consentToReverseInvoicing']);
    const badId = await recordIntake({
      ...walkIn,
      seller: { ...personSeller, idNumber: '659002197803124512' },
    }).expect(400);
    expect(fieldsOf(badId)).toEqual(['seller.idNumber']);
  });

  it('names a station district the city profile lacks', async () => {
    const res = await request(service.app)
      .put('/stations/st-nowhere')
      .set('Authorization', admin)
      .send({ name: '无名站', districtCode: 'atlantis', enterpriseId: 'ent-lvyuan' })
      .expect(400);
    expect(fieldsOf(res)).toEqual(['districtCode']);
  });
});

describe('chain of custody', () => {
  it('follows one item from its pickup to its dispatch batch in one call', async () => {
    const pickupId = `pk-desk-${Date.now().toString(36)}`;
    const story = pickupStory(pickupId, stationId);
    await publishPickupEvents(prefix, [story.requested, story.scheduled, story.collected]);
    await waitFor(
      async () => (await service.ctx.arrivals.find(pickupId))?.status === 'collected' || undefined,
      { what: 'the pickup projected' },
    );
    const intakeId = (
      await recordIntake({
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
          { category: 'television', units: 3, weightGrams: 60_000, condition: 'reusable', priceFen: 9_000 },
        ],
      }).expect(201)
    ).body.intakeId as string;
    // The purchase names the pickup, so invoicing can show the invoice to the resident who booked it.
    const purchase = await waitForEvent(
      PurchaseEventTypes.recorded,
      (d: PurchaseRecordedData) => d.purchaseId === `intake:${intakeId}`,
    );
    expect(JSON.parse(purchase.value!)).toMatchObject({ pickupId, totalFen: 21_000 });

    // Not sorted yet: nothing may leave.
    const batch = (body: object) =>
      request(service.app).post(`/stations/${stationId}/batches`).set('Authorization', operator).send(body);
    const processor = { name: '新疆天山电子废弃物处理有限公司', licenceNo: '新环废电处〔2021〕003号' };
    await batch({ processor, items: [{ intakeId, lineId: 'l1', units: 1 }] }).expect(409);

    await request(service.app)
      .post(`/intakes/${intakeId}/sorting`)
      .set('Authorization', operator)
      .send({
        outcomes: [
          { lineId: 'l1', outcome: 'dismantling', units: 1 },
          { lineId: 'l2', outcome: 'resale', units: 2 },
          { lineId: 'l2', outcome: 'dismantling', units: 1 },
        ],
      })
      .expect(201);
    await request(service.app)
      .post(`/intakes/${intakeId}/sorting`)
      .set('Authorization', operator)
      .send({ outcomes: [{ lineId: 'l2', outcome: 'resale', units: 1 }] })
      .expect(409); // all three TVs are sorted already

    const dispatched = await batch({
      processor,
      items: [
        { intakeId, lineId: 'l1', units: 1 },
        { intakeId, lineId: 'l2', units: 1 },
      ],
    }).expect(201);
    const batchId = dispatched.body.batchId as string;
    BatchView.parse(dispatched.body);
    expect(dispatched.body.items.map((i: { weightGrams: number }) => i.weightGrams)).toEqual([
      52_300, 20_000,
    ]);
    expect(dispatched.body.totalWeightGrams).toBe(72_300);
    // The fridge has left; it cannot leave twice.
    await batch({ processor, items: [{ intakeId, lineId: 'l1', units: 1 }] }).expect(409);

    const custody = await request(service.app)
      .get(`/intakes/${intakeId}/lines/l1/custody`)
      .set('Authorization', operator)
      .expect(200);
    OneLineCustodyView.parse(custody.body);
    expect(custody.body.line.steps.map((s: { step: string }) => s.step)).toEqual([
      'pickup.requested',
      'pickup.scheduled',
      'pickup.collected',
      'intake.recorded',
      'items.sorted',
      'batch.dispatched',
    ]);
    expect(custody.body.line.steps.at(-1)).toMatchObject({
      batchId,
      processor,
      units: 1,
      weightGrams: 52_300,
    });
    expect(custody.body.line.location).toEqual({ units: 1, unsorted: 0, sortedAtStation: 0, dispatched: 1 });
    const tvs = await request(service.app)
      .get(`/intakes/${intakeId}/custody`)
      .set('Authorization', operator)
      .expect(200);
    expect(tvs.body.lines[1].location).toEqual({ units: 3, unsorted: 0, sortedAtStation: 2, dispatched: 1 });
    IntakeCustodyView.parse(tvs.body);
    const batches = await request(service.app)
      .get(`/stations/${stationId}/batches`)
      .set('Authorization', operator)
      .expect(200);
    expect(BatchList.parse(batches.body).batches.map((b) => b.batchId)).toContain(batchId);
    const one = await request(service.app)
      .get(`/batches/${batchId}`)
      .set('Authorization', operator)
      .expect(200);
    expect(BatchView.parse(one.body)).toEqual(dispatched.body);
    await request(service.app)
      .get(`/batches/${batchId}`)
      .set('Authorization', await bearer('station-operator', otherStationId))
      .expect(403);

    const event = await waitForEvent(
      IntakeEventTypes.batchDispatched,
      (d: IntakeBatchDispatchedData) => d.batchId === batchId,
    );
    expect(event.key).toBe(batchId);
    expect(JSON.parse(event.value!)).toMatchObject({
      stationId,
      processor,
      totalWeightGrams: 72_300,
      items: [
        { intakeId, lineId: 'l1', category: 'refrigerator', units: 1, weightGrams: 52_300 },
        { intakeId, lineId: 'l2', category: 'television', units: 1, weightGrams: 20_000 },
      ],
    });
    await waitForEvent(IntakeEventTypes.itemsSorted, (d: { intakeId: string }) => d.intakeId === intakeId);

    // A correction may not take away sorted units.
    await request(service.app)
      .post(`/intakes/${intakeId}/corrections`)
      .set('Authorization', operator)
      .send({
        reason: '少了一台电视',
        lines: [
          {
            lineId: 'l1',
            category: 'refrigerator',
            units: 1,
            weightGrams: 52_300,
            condition: 'for-dismantling',
            priceFen: 12_000,
          },
        ],
      })
      .expect(409);
  });
});
