// The dismantler's day as a server-side work list (issue 16): vehicle pickups due (and overdue),
// towed in and waiting at the gate, coming days; vehicles taken in today; to certify, to dismantle,
// to deregister and deregistrations awaited. Every list is a small document read by `_id`; each desk
// action moves a vehicle on, and another GET (a reload, the next shift) finds the same day.
import { fixtures } from '@recycling/contracts/fixtures';
import { waitFor } from '@recycling/testkit';
import { mongo } from 'mongoose';
import request from 'supertest';
import { addDays, localDate } from '../src/domain/calendar';
import { WorkListView } from '../src/http/schemas';
import { dismantlerBody, freshVin, intakeBody, shortId, startHarness, token, type Harness } from './harness';

jest.setTimeout(180_000);

let h: Harness;
const site = shortId('dmw');
const today = localDate(new Date(), 'Asia/Shanghai');
let operator = '';

const requested = (pickupId: string, date: string, vin: string, siteId = site) =>
  h.publishPickupEvent('recycling.pickup.requested.v1', {
    ...fixtures['recycling.pickup.requested.v1'],
    pickupId,
    kind: 'vehicle',
    districtCode: 't03',
    slot: { date, window: '10:00-13:00' },
    vehicle: {
      vin,
      plateMasked: '新N·***23',
      vehicleType: 'passenger-car',
      fuelType: 'gasoline',
      emissionStandard: 'china-3',
      registrationDate: '2009-06-18',
    },
    assignedSite: { kind: 'dismantler', siteId },
  });

const workList = async (date?: string) => {
  const res = await request(h.service.app)
    .get(`/dismantlers/${site}/work-list${date ? `?date=${date}` : ''}`)
    .set('Authorization', operator);
  expect(res.status).toBe(200);
  return WorkListView.parse(res.body);
};

const post = (path: string, body: object) =>
  request(h.service.app).post(path).set('Authorization', operator).send(body);

beforeAll(async () => {
  h = await startHarness('dism-work');
  operator = `Bearer ${await token('dismantler-operator', site)}`;
  await request(h.service.app)
    .put(`/dismantlers/${site}`)
    .set('Authorization', `Bearer ${await token('administrator')}`)
    .send(dismantlerBody())
    .expect(201);
});

afterAll(async () => {
  await h?.close();
});

describe("the dismantler's work list", () => {
  it('lists the pickups due, and moves each vehicle on with the desk’s actions', async () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => shortId(`pk${x}`)) as [
      string,
      string,
      string,
      string,
    ];
    const vinA = freshVin();
    const vinB = freshVin();
    await requested(a, today, vinA);
    await requested(b, today, vinB);
    await requested(c, addDays(today, 2), freshVin());
    await requested(d, addDays(today, -2), freshVin());
    // Another site's pickup never shows.
    await requested(shortId('pkx'), today, freshVin(), 'dm-elsewhere');
    await h.publishPickupEvent('recycling.pickup.collected.v1', {
      pickupId: b,
      siteId: site,
      kind: 'vehicle',
      vehicle: {
        vin: vinB,
        plateMasked: '新N·***23',
        vehicleType: 'passenger-car',
        fuelType: 'gasoline',
        emissionStandard: 'china-3',
        registrationDate: '2009-06-18',
      },
      occurredAt: new Date().toISOString(),
    });
    let list = await waitFor(
      async () => {
        const l = await workList();
        return l.due.length === 2 && l.toTakeIn.length === 1 && l.upcoming.length === 1 && l;
      },
      { what: 'two pickups due, one towed in, one coming' },
    );
    expect(list.date).toBe(today);
    expect(list.due.map((x) => [x.pickupId, x.overdue])).toEqual([
      [d, true],
      [a, false],
    ]);
    expect(list.due[1]!.vehicle).toEqual({
      vin: vinA,
      plateMasked: '新N·***23',
      vehicleType: 'passenger-car',
      fuelType: 'gasoline',
      emissionStandard: 'china-3',
      registrationDate: '2009-06-18',
    });
    expect(list.toTakeIn[0]).toMatchObject({ pickupId: b, status: 'collected', overdue: false });
    expect(list.upcoming.map((x) => x.pickupId)).toEqual([c]);
    expect(list.totals).toMatchObject({ due: 2, overdue: 1, toTakeIn: 1, upcoming: 1, takenIn: 0 });

    // Taken in from the list: on today's list and to certify; no longer waiting at the gate.
    const taken = await post('/vehicle-intakes', intakeBody(site, vinB, { pickupId: b }));
    expect(taken.status).toBe(201);
    const id = taken.body.vehicleIntakeId as string;
    // One at the gate without a pickup, recorded in error and voided.
    const gate = await post('/vehicle-intakes', intakeBody(site, freshVin(), { priceFen: 90_000 }));
    expect(gate.status).toBe(201);
    list = await workList();
    expect(list.toTakeIn).toEqual([]);
    expect(list.takenIn.map((i) => i.vehicleIntakeId).sort()).toEqual(
      [id, gate.body.vehicleIntakeId as string].sort(),
    );
    expect(list.takenIn.find((i) => i.vehicleIntakeId === id)).toMatchObject({
      vin: vinB,
      pickupId: b,
      status: 'received',
      receivedOn: today,
      priceFen: 150_000,
    });
    expect(list.toCertify.map((i) => i.vehicleIntakeId)).toEqual([id, gate.body.vehicleIntakeId]);
    expect(list.totals).toMatchObject({ takenIn: 2, paidFen: 240_000, toCertify: 2 });
    await post(`/vehicle-intakes/${gate.body.vehicleIntakeId as string}/void`, {
      reason: '车架号录错',
    }).expect(200);
    list = await workList();
    expect(list.toCertify.map((i) => i.vehicleIntakeId)).toEqual([id]);
    expect(list.takenIn.find((i) => i.vehicleIntakeId === gate.body.vehicleIntakeId)?.status).toBe('voided');
    expect(list.totals).toMatchObject({ takenIn: 1, paidFen: 150_000 });

    // Certified: to dismantle and to deregister.
    const certified = await post(`/vehicle-intakes/${id}/certificate`, {});
    expect(certified.status).toBe(200);
    list = await workList();
    expect(list.toCertify).toEqual([]);
    expect(list.toDismantle[0]).toMatchObject({
      vehicleIntakeId: id,
      certificateNo: certified.body.certificate.certificateNo,
    });
    expect(list.toDeregister.map((i) => i.vehicleIntakeId)).toEqual([id]);

    // Deregistration asked for: awaited; refused: to ask again; completed: off both lists.
    await post(`/vehicle-intakes/${id}/deregistration`, {
      trafficPoliceOffice: '阿拉尔市公安局交警支队',
    }).expect(200);
    list = await workList();
    expect(list.toDeregister).toEqual([]);
    expect(list.deregistrationAwaited[0]).toMatchObject({
      vehicleIntakeId: id,
      deregistration: { state: 'requested' },
    });
    await request(h.service.app)
      .put(`/vehicle-intakes/${id}/deregistration/outcome`)
      .set('Authorization', operator)
      .send({ state: 'rejected', reason: '缺少机动车登记证书' })
      .expect(200);
    list = await workList();
    expect(list.deregistrationAwaited).toEqual([]);
    expect(list.toDeregister[0]).toMatchObject({
      vehicleIntakeId: id,
      deregistration: { state: 'rejected', reason: '缺少机动车登记证书' },
    });
    await post(`/vehicle-intakes/${id}/deregistration`, {}).expect(200);
    await request(h.service.app)
      .put(`/vehicle-intakes/${id}/deregistration/outcome`)
      .set('Authorization', operator)
      .send({ state: 'completed', deregistrationCertificateNo: 'ZX-6590022026-0007' })
      .expect(200);
    list = await workList();
    expect(list.toDeregister).toEqual([]);
    expect(list.deregistrationAwaited).toEqual([]);
    expect(list.toDismantle.map((i) => i.vehicleIntakeId)).toEqual([id]);

    // Dismantled and deregistered: nothing left to do, off the open list (still taken in today).
    await post(`/vehicle-intakes/${id}/dismantling`, {
      assemblies: ['engine', 'steering-gear', 'transmission', 'axles', 'frame'].map((assembly) => ({
        assembly,
        disposition: 'scrap-steel',
      })),
      materials: [{ material: 'ferrous', weightGrams: 712_000 }],
    }).expect(200);
    list = await workList();
    expect(list.toDismantle).toEqual([]);
    expect(list.takenIn.find((i) => i.vehicleIntakeId === id)?.dismantledAt).toBeDefined();
    expect((await h.service.ctx.workLists.open(site))?.intakeIds).toEqual([]);

    // The resident moves pickup a to the day after tomorrow: it leaves today, and shows as coming.
    await h.publishPickupEvent('recycling.pickup.scheduled.v1', {
      pickupId: a,
      siteId: site,
      slot: { date: addDays(today, 2), window: '15:00-18:00' },
      occurredAt: new Date().toISOString(),
    });
    await waitFor(async () => (await workList()).due.length === 1, { what: 'a moved to another day' });
    expect((await workList()).upcoming.map((x) => [x.pickupId, x.slot.window])).toEqual([
      [c, '10:00-13:00'],
      [a, '15:00-18:00'],
    ]);
    const later = await workList(addDays(today, 2));
    // d, due four days before and never taken in, is overdue; a and c due that day.
    expect(later.due.map((x) => [x.pickupId, x.overdue])).toEqual([
      [d, true],
      [c, false],
      [a, false],
    ]);

    // A cancelled pickup leaves the list.
    await h.publishPickupEvent('recycling.pickup.cancelled.v1', {
      ...fixtures['recycling.pickup.cancelled.v1'],
      pickupId: d,
      occurredAt: new Date().toISOString(),
    });
    await waitFor(async () => (await workList()).due.length === 0, { what: 'd cancelled' });
  });

  it('is the site’s own: another site’s operator is refused, a bad date is named', async () => {
    const other = await request(h.service.app)
      .get(`/dismantlers/${site}/work-list`)
      .set('Authorization', `Bearer ${await token('dismantler-operator', 'dm-other')}`);
    expect(other.status).toBe(403);
    const admin = await request(h.service.app)
      .get(`/dismantlers/${site}/work-list`)
      .set('Authorization', `Bearer ${await token('administrator')}`);
    expect(admin.status).toBe(200);
    const bad = await request(h.service.app)
      .get(`/dismantlers/${site}/work-list?date=tomorrow`)
      .set('Authorization', operator);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.date');
  });

  it('reads nothing but documents by _id (FerretDB reads a whole collection for any other filter)', async () => {
    // Every read of the store passes through the driver's find or findOne.
    const find = jest.spyOn(mongo.Collection.prototype, 'find');
    const findOne = jest.spyOn(mongo.Collection.prototype, 'findOne');
    let filters: Array<{ collection: string; filter: unknown }>;
    try {
      await workList();
      filters = [find, findOne].flatMap((spy) =>
        (spy.mock.calls as unknown[][]).map((call, i) => ({
          collection: (spy.mock.contexts[i] as mongo.Collection).collectionName,
          filter: call[0],
        })),
      );
    } finally {
      find.mockRestore();
      findOne.mockRestore();
    }
    const ours = filters.filter((f) =>
      ['work_lists', 'expected_vehicles', 'vehicle_intakes'].includes(f.collection),
    );
    // The 15 days, the open list, the pickups and their notes, the intakes: one lookup each.
    expect(ours.length).toBeGreaterThan(15);
    for (const { collection, filter } of ours) {
      expect({ collection, keys: Object.keys(filter as object) }).toEqual({ collection, keys: ['_id'] });
      expect(typeof (filter as { _id: unknown })._id).toBe('string');
    }
  });
});

it('groups the list writes of vehicles taken in at once: each is on the list, in fewer writes', async () => {
  const lists = h.service.ctx.workLists;
  const writes = jest.spyOn(mongo.Collection.prototype, 'replaceOne');
  const ids = Array.from({ length: 30 }, (_, i) => `vi-burst-${i}`);
  await Promise.all(ids.map((id) => lists.intakeTakenIn('dm-burst', id, today)));
  const listWrites = writes.mock.contexts.filter(
    (c) => (c as mongo.Collection).collectionName === 'work_lists',
  ).length;
  writes.mockRestore();
  const [day] = await lists.days('dm-burst', [today]);
  expect([...day!.intakeIds].sort()).toEqual([...ids].sort());
  expect([...(await lists.open('dm-burst'))!.intakeIds].sort()).toEqual([...ids].sort());
  // One at a time, each intake would write both lists: 60 writes (and a lock and unlock each).
  expect(listWrites).toBeGreaterThanOrEqual(2);
  expect(listWrites).toBeLessThan(30);
});
