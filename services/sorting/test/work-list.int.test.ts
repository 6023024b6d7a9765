// The station's day as a server-side work list: pickups due today (and overdue), collected ones to
// weigh and pay, today's intakes, and goods to sort and dispatch, all from lists addressed by `_id`;
// each desk action moves an item on, and a reload (another GET) finds the same list.
import { PickupEventTypes, type PickupRequestedData } from '@recycling/contracts';
import { fixtures } from '@recycling/contracts/fixtures';
import { createEventFactory, registryCatalog } from '@recycling/messaging';
import { uniqueTopicPrefix, waitFor } from '@recycling/testkit';
import { register } from 'prom-client';
import request from 'supertest';
import { addDays, localDate } from '../src/domain/local-day';
import { WorkListView } from '../src/http/schemas';
import {
  bearer,
  personSeller,
  publishPickupEvents,
  startSorting,
  uniqueDbName,
  type SortingService,
} from './support';

const prefix = uniqueTopicPrefix('sorting-work');
const stationId = 'st-work-01';
const today = localDate(new Date(), 'Asia/Shanghai');
const events = createEventFactory({ catalog: registryCatalog, source: 'urn:recycling:659002:pickup' });
let service: SortingService;
let operator: string;

const requested = (pickupId: string, date: string, count = 1) =>
  events(PickupEventTypes.requested, {
    ...(fixtures[PickupEventTypes.requested] as PickupRequestedData),
    pickupId,
    kind: 'appliances',
    appliances: [{ category: 'television', count }],
    slot: { date, window: '10:00-13:00' },
    assignedSite: { kind: 'station', siteId: stationId },
  } as PickupRequestedData);

const workList = async () => {
  const res = await request(service.app)
    .get(`/stations/${stationId}/work-list`)
    .set('Authorization', operator);
  expect(res.status).toBe(200);
  return WorkListView.parse(res.body);
};

beforeAll(async () => {
  service = await startSorting(uniqueDbName('sorting-work'), prefix);
  operator = await bearer('station-operator', stationId);
  await request(service.app)
    .put(`/stations/${stationId}`)
    .set('Authorization', await bearer('administrator'))
    .send({ name: '幸福路回收站', districtCode: 's-xingfulu', enterpriseId: 'ent-lvyuan', active: true })
    .expect(200);
});

afterAll(async () => {
  await service.connection.dropDatabase().catch(() => undefined);
  await service.stop();
});

describe("the station's work list", () => {
  it('lists what is due, what came back to weigh and pay, and moves each item on with the desk’s actions', async () => {
    const [a, b, c, d] = ['pk-work-a', 'pk-work-b', 'pk-work-c', 'pk-work-d'];
    await publishPickupEvents(prefix, [
      requested(a, today),
      requested(b, today, 2),
      requested(c, addDays(today, 1)),
      requested(d, addDays(today, -1)),
      events(PickupEventTypes.collected, {
        pickupId: b,
        siteId: stationId,
        kind: 'appliances',
        appliances: [{ category: 'television', count: 2 }],
        occurredAt: new Date().toISOString(),
      }),
    ]);
    let list = await waitFor(
      async () => {
        const l = await workList();
        return l.due.length === 2 && l.toReceive.length === 1 && l;
      },
      { what: 'two collections due and one to receive' },
    );
    expect(list.date).toBe(today);
    expect(list.due.map((x) => [x.pickupId, x.overdue])).toEqual([
      [d, true],
      [a, false],
    ]);
    expect(list.toReceive[0]).toMatchObject({ pickupId: b, units: 2, status: 'collected' });
    expect(list.upcoming.map((x) => x.pickupId)).toEqual([c]);
    expect(list.totals).toMatchObject({ due: 2, overdue: 1, toReceive: 1, received: 0 });

    // Received from the list: its intake records weighing and payment.
    const intake = await request(service.app)
      .post(`/stations/${stationId}/intakes`)
      .set('Authorization', operator)
      .send({
        source: { kind: 'pickup', pickupId: b },
        seller: personSeller,
        lines: [{ category: 'television', units: 2, condition: 'for-dismantling', priceFen: 3_000 }],
      });
    expect(intake.status).toBe(201);
    const intakeId = intake.body.intakeId as string;
    const lineId = intake.body.contents.lines[0].lineId as string;
    list = await workList();
    expect(list.toReceive).toEqual([]);
    expect(list.received).toEqual([
      expect.objectContaining({ intakeId, pickupId: b, units: 2, paidFen: 3_000, seller: '王**' }),
    ]);
    expect(list.toSort).toEqual([
      { intakeId, receivedOn: today, lines: [expect.objectContaining({ lineId, units: 2, sorted: 0 })] },
    ]);
    expect(list.totals).toMatchObject({ received: 1, receivedUnits: 2, paidFen: 3_000, unitsToSort: 2 });

    // Sorted: now waiting to leave. Dispatched: off the list.
    await request(service.app)
      .post(`/intakes/${intakeId}/sorting`)
      .set('Authorization', operator)
      .send({ outcomes: [{ lineId, outcome: 'dismantling', units: 2 }] })
      .expect(201);
    list = await workList();
    expect(list.toSort).toEqual([]);
    expect(list.toDispatch[0]!.lines[0]).toMatchObject({ sorted: 2, dispatched: 0 });
    await request(service.app)
      .post(`/stations/${stationId}/batches`)
      .set('Authorization', operator)
      .send({
        processor: { name: '新疆某废弃电器电子产品处理有限公司', licenceNo: 'XJ-FQ-2021-008' },
        items: [{ intakeId, lineId, units: 2 }],
      })
      .expect(201);
    list = await workList();
    expect(list.toDispatch).toEqual([]);
    expect(list.totals.unitsToDispatch).toBe(0);
    expect(list.received).toHaveLength(1); // still received today

    // The resident moves pickup a to tomorrow: it leaves today's list, and shows on tomorrow's.
    await publishPickupEvents(prefix, [
      events(PickupEventTypes.scheduled, {
        pickupId: a,
        siteId: stationId,
        slot: { date: addDays(today, 1), window: '16:00-19:00' },
        occurredAt: new Date().toISOString(),
      }),
    ]);
    await waitFor(async () => (await workList()).due.length === 1, { what: 'a moved to tomorrow' });
    expect((await workList()).upcoming.map((x) => x.pickupId).sort()).toEqual([a, c]);
    const tomorrow = await request(service.app)
      .get(`/stations/${stationId}/work-list?date=${addDays(today, 1)}`)
      .set('Authorization', operator);
    // d, due yesterday and never collected, is still there: overdue.
    expect(WorkListView.parse(tomorrow.body).due.map((x) => [x.pickupId, x.overdue])).toEqual([
      [d, true],
      [c, false],
      [a, false],
    ]);
  });

  it('is the station’s own: another station’s operator is refused, a bad date is named', async () => {
    const other = await request(service.app)
      .get(`/stations/${stationId}/work-list`)
      .set('Authorization', await bearer('station-operator', 'st-work-99'));
    expect(other.status).toBe(403);
    const bad = await request(service.app)
      .get(`/stations/${stationId}/work-list?date=tomorrow`)
      .set('Authorization', operator);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.date');
  });
});

it('groups the list writes of intakes recorded at once: each is on the list, in far fewer writes', async () => {
  const lists = service.ctx.workLists;
  const storeWrites = async () => {
    const metric = (await register.getSingleMetric('store_commands_total')?.get())?.values ?? [];
    return metric
      .filter((v) => ['update', 'insert', 'delete'].includes(String(v.labels.command)))
      .reduce((sum, v) => sum + v.value, 0);
  };
  const before = await storeWrites();
  const ids = Array.from({ length: 40 }, (_, i) => `in-burst-${i}`);
  await Promise.all(ids.map((id) => lists.intakeReceived('st-burst', id, today)));
  const [day] = await lists.days('st-burst', [today]);
  expect([...day!.intakeIds].sort()).toEqual([...ids].sort());
  expect(Object.keys((await lists.open('st-burst'))!.intakes).sort()).toEqual([...ids].sort());
  // One at a time, each intake would lock, write and unlock both lists: 40 × 2 × 3 writes.
  expect((await storeWrites()) - before).toBeLessThan(40 * 2 * 3 * 0.5);
});
