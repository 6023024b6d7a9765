import { PickupEventTypes, PurchaseEventTypes } from '@recycling/contracts';
import { vehiclePickupRequested } from '@recycling/contracts/fixtures';
import { createEventFactory, registryCatalog } from '@recycling/messaging';
import { createLogger } from '@recycling/observability';
import { collectMessages, testKafka, uniqueTopicPrefix, waitFor } from '@recycling/testkit';
import { Writable } from 'node:stream';
import request from 'supertest';
import { ArrivalList } from '../src/http/schemas';
import {
  bearer,
  personSeller,
  pickupStory,
  publishPickupEvents,
  startSorting,
  uniqueDbName,
  type SortingService,
} from './support';

// Expected arrivals from the pickups topic (idempotent, only appliance pickups of the station), the
// one-intake-per-pickup rule, organisations' sales (no purchase event), concurrent dispatches, and
// logs without the seller's identity.

const prefix = uniqueTopicPrefix('sorting-arrivals');
const stationId = 'st-arrivals-01';
const logLines: string[] = [];
let service: SortingService;
let operator: string;

const pickupEvents = createEventFactory({ catalog: registryCatalog, source: 'urn:recycling:659002:pickup' });

beforeAll(async () => {
  const logger = createLogger({
    service: 'sorting',
    level: 'info',
    destination: new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  service = await startSorting(uniqueDbName('sorting-arrivals'), prefix, { logger });
  operator = await bearer('station-operator', stationId);
  await request(service.app)
    .put(`/stations/${stationId}`)
    .set('Authorization', await bearer('administrator'))
    .send({ name: '金银川路回收站', districtCode: 's-jinyinchuanlu', enterpriseId: 'ent-lvyuan' })
    .expect(200);
});

afterAll(async () => {
  await service.connection.dropDatabase().catch(() => undefined);
  await service.stop();
});

const arrivals = async () =>
  ArrivalList.parse(
    (
      await request(service.app)
        .get(`/stations/${stationId}/expected-arrivals`)
        .set('Authorization', operator)
        .expect(200)
    ).body,
  ).arrivals;

it('lists appliance pickups of the station once each, however often their events arrive, until cancelled', async () => {
  const kept = pickupStory(`pk-keep-${Date.now().toString(36)}`, stationId);
  const cancelledStory = pickupStory(`pk-cancel-${Date.now().toString(36)}`, stationId);
  const elsewhere = pickupStory(`pk-else-${Date.now().toString(36)}`, 'st-someone-else');
  // A vehicle pickup goes to a dismantler: not the desk's business.
  const vehicle = pickupEvents(PickupEventTypes.requested, vehiclePickupRequested);
  const cancel = pickupEvents(PickupEventTypes.cancelled, {
    pickupId: cancelledStory.data.pickupId,
    by: 'resident',
    occurredAt: '2025-02-28T08:00:00Z',
  });
  // Every event twice (redelivery), the scheduled one three times.
  await publishPickupEvents(prefix, [
    kept.requested,
    kept.requested,
    kept.scheduled,
    kept.scheduled,
    cancelledStory.requested,
    elsewhere.requested,
    vehicle,
    kept.scheduled,
    cancel,
    cancel,
    kept.collected,
  ]);
  // Events of one pickup are consumed in order, so once the last of each is applied the rest are too.
  const statusOf = async (pickupId: string) => (await service.ctx.arrivals.find(pickupId))?.status;
  await waitFor(async () => (await statusOf(cancelledStory.data.pickupId)) === 'cancelled', {
    what: 'the cancellation',
  });
  await waitFor(async () => (await statusOf(kept.data.pickupId)) === 'collected', { what: 'the collection' });
  const listed = await arrivals();
  expect(listed.map((a) => a.pickupId)).toEqual([kept.data.pickupId]);
  expect(listed[0]).toMatchObject({ status: 'collected', crewId: 'crew-3' });
  const stored = await service.ctx.arrivals.find(kept.data.pickupId);
  expect(stored?.history.map((h) => h.status)).toEqual(['requested', 'scheduled', 'collected']);
  expect(stored?.appliedEvents).toHaveLength(3);
  expect(await service.ctx.arrivals.find(vehiclePickupRequested.pickupId)).toBeNull();

  // A cancelled pickup cannot be received; one of another station neither.
  const intake = (pickupId: string) =>
    request(service.app)
      .post(`/stations/${stationId}/intakes`)
      .set('Authorization', operator)
      .send({
        source: { kind: 'pickup', pickupId },
        seller: personSeller,
        lines: [{ category: 'refrigerator', units: 1, condition: 'for-dismantling', priceFen: 10_000 }],
      });
  await waitFor(async () => (await service.ctx.arrivals.find(elsewhere.data.pickupId)) ?? undefined, {
    what: 'the other station’s pickup projected',
  });
  expect((await intake(cancelledStory.data.pickupId).expect(409)).body.errors[0].field).toBe(
    'source.pickupId',
  );
  await intake(elsewhere.data.pickupId).expect(409);
  // One pickup, one intake, even when the desk sends it twice at once.
  const both = await Promise.all([intake(kept.data.pickupId), intake(kept.data.pickupId)]);
  expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  expect(await arrivals()).toEqual([]);
});

it('publishes no purchase for an organisation and keeps the seller identity out of the logs', async () => {
  const collector = await collectMessages(testKafka('sorting-arrivals-test'), [
    `${prefix}.recycling.purchases.v1`,
    `${prefix}.recycling.intakes.v1`,
  ]);
  try {
    const org = await request(service.app)
      .post(`/stations/${stationId}/intakes`)
      .set('Authorization', operator)
      .send({
        source: { kind: 'public-institution' },
        seller: { kind: 'organisation', organisationName: '阿拉尔市第一中学' },
        lines: [{ category: 'printer', units: 4, condition: 'for-dismantling', priceFen: 4_000 }],
      })
      .expect(201);
    const person = await request(service.app)
      .post(`/stations/${stationId}/intakes`)
      .set('Authorization', operator)
      .send({
        source: { kind: 'walk-in' },
        seller: personSeller,
        lines: [{ category: 'mobile-phone', units: 2, condition: 'reusable', priceFen: 3_000 }],
      })
      .expect(201);
    await waitFor(() => collector.received.find((m) => m.key === person.body.intakeId), {
      what: 'the walk-in intake',
    });
    await waitFor(() => collector.received.find((m) => m.key === org.body.intakeId), {
      what: 'the organisation intake',
    });
    await service.messaging.relay.flush();
    const purchaseIds = collector.received
      .filter((m) => m.headers.ce_type === PurchaseEventTypes.recorded)
      .map((m) => JSON.parse(m.value!).purchaseId as string);
    expect(purchaseIds).toContain(`intake:${person.body.intakeId}`);
    expect(purchaseIds).not.toContain(`intake:${org.body.intakeId}`);
    // A public institution must sell as an organisation.
    const wrong = await request(service.app)
      .post(`/stations/${stationId}/intakes`)
      .set('Authorization', operator)
      .send({
        source: { kind: 'public-institution' },
        seller: personSeller,
        lines: [{ category: 'fax', units: 1, condition: 'reusable', priceFen: 0 }],
      })
      .expect(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toEqual(['seller.kind']);
  } finally {
    await collector.stop();
  }
  const logs = logLines.join('');
  expect(logs).toContain('intake recorded');
  expect(logs).not.toContain(personSeller.idNumber);
  expect(logs).not.toContain(personSeller.name);
});

it('lets only one of two concurrent batches take the same sorted unit', async () => {
  const recorded = await request(service.app)
    .post(`/stations/${stationId}/intakes`)
    .set('Authorization', operator)
    .send({
      source: { kind: 'retailer-trade-in' },
      seller: { kind: 'organisation', organisationName: '阿拉尔市苏宁易购' },
      lines: [{ category: 'air-conditioner', units: 1, condition: 'for-dismantling', priceFen: 0 }],
    })
    .expect(201);
  const intakeId = recorded.body.intakeId as string;
  await request(service.app)
    .post(`/intakes/${intakeId}/sorting`)
    .set('Authorization', operator)
    .send({ outcomes: [{ lineId: 'l1', outcome: 'dismantling', units: 1 }] })
    .expect(201);
  const send = () =>
    request(service.app)
      .post(`/stations/${stationId}/batches`)
      .set('Authorization', operator)
      .send({
        processor: { name: '处理厂', licenceNo: 'LIC-1' },
        items: [{ intakeId, lineId: 'l1', units: 1 }],
      });
  const results = await Promise.all([send(), send(), send()]);
  expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  expect(await service.ctx.batches.naming([intakeId])).toHaveLength(1);
});
