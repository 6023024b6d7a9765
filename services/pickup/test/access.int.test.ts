import { PickupView } from '../src/http/schemas';
import { describeService } from '@recycling/service-kit';
import { pickupService } from '../src/service';
import {
  applianceBooking,
  DISMANTLER,
  OTHER_STATION,
  registerSites,
  startHarness,
  STATION,
  type Harness,
} from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('access', { PICKUP_SLOT_CAPACITY: '50' });
  await registerSites(h);
});

afterAll(async () => {
  await h?.stop();
});

const book = async (residentId: string, overrides: Record<string, unknown> = {}) => {
  const res = await h.http
    .post('/pickups')
    .set(await h.as('resident', residentId))
    .send(applianceBooking(overrides));
  expect(res.status).toBe(201);
  return PickupView.parse(res.body);
};

describe('residents', () => {
  it('cannot see, list, cancel or change another resident’s pickup', async () => {
    const mine = await book('r-alice');
    const theirs = await book('r-bob');
    const alice = await h.as('resident', 'r-alice');

    expect((await h.http.get(`/pickups/${mine.pickupId}`).set(alice)).status).toBe(200);
    const other = await h.http.get(`/pickups/${theirs.pickupId}`).set(alice);
    expect(other.status).toBe(404); // not 403: another resident's ids cannot be probed
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect((await h.http.post(`/pickups/${theirs.pickupId}/cancel`).set(alice).send({})).status).toBe(404);

    const list = await h.http.get('/pickups').set(alice);
    expect(list.body.items.map((p: { pickupId: string }) => p.pickupId)).toEqual([mine.pickupId]);

    // Operator actions are not for residents, on any pickup.
    expect((await h.http.post(`/pickups/${mine.pickupId}/schedule`).set(alice).send({})).status).toBe(403);
    const bob = await h.http.get(`/pickups/${theirs.pickupId}`).set(await h.as('resident', 'r-bob'));
    expect(bob.body.status).toBe('requested');
  });
});

describe('operators', () => {
  it('see and act only on pickups assigned to their own site', async () => {
    const atStation = await book('r-carol');
    const elsewhere = await book('r-dave', {
      address: { districtCode: 's-qingsonglu', detail: '青松路 8 号' },
    });
    expect(elsewhere.assignedSite.siteId).toBe(OTHER_STATION.siteId);

    const operator = await h.as('station-operator', STATION.siteId);
    const list = await h.http.get('/pickups').set(operator);
    const ids = list.body.items.map((p: { pickupId: string }) => p.pickupId);
    expect(ids).toContain(atStation.pickupId);
    expect(ids).not.toContain(elsewhere.pickupId);
    expect((await h.http.get(`/pickups/${elsewhere.pickupId}`).set(operator)).status).toBe(404);
    expect((await h.http.post(`/pickups/${elsewhere.pickupId}/schedule`).set(operator).send({})).status).toBe(
      404,
    );

    // The same scope under the enterprise id works; a dismantler operator sees no appliance pickup.
    const byEnterprise = await h.as('station-operator', STATION.enterpriseId);
    expect((await h.http.get(`/pickups/${atStation.pickupId}`).set(byEnterprise)).status).toBe(200);
    const dismantler = await h.as('dismantler-operator', DISMANTLER.siteId);
    expect((await h.http.get(`/pickups/${atStation.pickupId}`).set(dismantler)).status).toBe(404);
    expect((await h.http.get('/pickups').set(dismantler)).body.items).toEqual([]);

    // The other site's operator can act on theirs.
    const other = await h.as('station-operator', OTHER_STATION.siteId);
    expect((await h.http.post(`/pickups/${elsewhere.pickupId}/schedule`).set(other).send({})).status).toBe(
      200,
    );
  });

  it('see the contact in full while the pickup is open, masked once it is closed; administrators masked', async () => {
    const p = await book('r-erin');
    const operator = await h.as('station-operator', STATION.siteId);
    const open = await h.http.get(`/pickups/${p.pickupId}`).set(operator);
    expect(open.body.contact).toEqual({ name: '王建新', phone: '13912345678' });
    const admin = await h.http.get(`/pickups/${p.pickupId}`).set(await h.as('administrator'));
    expect(admin.body.contact).toEqual({ name: '王**', phone: '139****5678' });
    expect(admin.body.address.detail).toBeUndefined();
    await h.http.post(`/pickups/${p.pickupId}/fail`).set(operator).send({ reasonCode: 'resident-absent' });
    const closed = await h.http.get(`/pickups/${p.pickupId}`).set(operator);
    expect(closed.body).toMatchObject({ status: 'failed', contact: { phone: '139****5678' } });
    expect(closed.body.address.detail).toBeUndefined();
  });
});

describe('cancellation rules', () => {
  it('a resident cancels before collection; not twice, and not once the items are collected', async () => {
    const resident = await h.as('resident', 'r-frank');
    const operator = await h.as('station-operator', STATION.siteId);

    const requested = await book('r-frank');
    const cancelled = await h.http
      .post(`/pickups/${requested.pickupId}/cancel`)
      .set(resident)
      .send({ reason: '不需要了' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancellation: { by: 'resident', reason: '不需要了' },
    });
    const twice = await h.http.post(`/pickups/${requested.pickupId}/cancel`).set(resident).send({});
    expect(twice.status).toBe(409);
    expect(twice.body.title_zh).toBe('当前状态不允许此操作');

    const scheduled = await book('r-frank');
    await h.http.post(`/pickups/${scheduled.pickupId}/schedule`).set(operator).send({});
    expect(
      (await h.http.post(`/pickups/${scheduled.pickupId}/cancel`).set(resident).send({})).body.status,
    ).toBe('cancelled');
    // A cancelled pickup cannot be scheduled or collected any more.
    expect((await h.http.post(`/pickups/${scheduled.pickupId}/schedule`).set(operator).send({})).status).toBe(
      409,
    );

    const collected = await book('r-frank');
    await h.http.post(`/pickups/${collected.pickupId}/schedule`).set(operator).send({});
    await h.http
      .post(`/pickups/${collected.pickupId}/collect`)
      .set(operator)
      .send({ appliances: [{ category: 'refrigerator', count: 1 }] });
    const late = await h.http.post(`/pickups/${collected.pickupId}/cancel`).set(resident).send({});
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('已取走');
    expect((await h.http.get(`/pickups/${collected.pickupId}`).set(resident)).body.status).toBe('collected');
  });

  it('an operator may cancel for the resident, recorded as by operator', async () => {
    const p = await book('r-gina');
    const res = await h.http
      .post(`/pickups/${p.pickupId}/cancel`)
      .set(await h.as('station-operator', STATION.siteId))
      .send({ reason: '居民电话告知取消' });
    expect(res.body.cancellation).toEqual({ by: 'operator', reason: '居民电话告知取消' });
    expect(res.body.history.at(-1)).toMatchObject({
      status: 'cancelled',
      event: 'cancelled',
      by: { role: 'station-operator' },
    });
  });
});

describe('bad input', () => {
  it('gets 400 problem+json naming every bad field', async () => {
    const res = await h.http
      .post('/pickups')
      .set(await h.as('resident', 'r-bad'))
      .send({
        kind: 'appliances',
        appliances: [{ category: 'toaster', count: 0 }],
        address: { districtCode: 'nowhere', detail: '' },
        contact: { phone: '12345' },
        slot: { date: '2025-02-30', window: '13:00-10:00' },
      });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.title_zh).toBe('输入有误');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'appliances.0.category',
        'appliances.0.count',
        'address.districtCode',
        'address.detail',
        'contact.phone',
        'slot.date',
        'slot.window',
      ]),
    );
    expect(res.body.detail).toContain('contact.phone');
  });

  it('names query and path fields with their prefix, and refuses operator keys', async () => {
    const admin = await h.as('administrator');
    const q = await h.http.get('/pickups').query({ status: 'lost', limit: '0' }).set(admin);
    expect(q.status).toBe(400);
    expect(q.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'query.limit',
      'query.status',
    ]);
    const site = await h.http.put('/sites/bad id').set(admin).send({});
    expect(site.status).toBe(400);
    expect(site.body.errors.map((e: { field: string }) => e.field)).toContain('params.siteId');
    const injected = await h.http
      .post('/pickups')
      .set(await h.as('resident', 'r-bad'))
      .send({ ...applianceBooking(), contact: { phone: { $ne: null } } });
    expect(injected.status).toBe(400);
  });

  it('a vehicle booking with a bad VIN check digit names the field', async () => {
    const res = await h.http
      .post('/pickups')
      .set(await h.as('resident', 'r-bad'))
      .send({
        ...applianceBooking(),
        kind: 'vehicle',
        appliances: undefined,
        vehicle: {
          plate: '新N12323',
          vin: 'LSVAG218892512346',
          vehicleType: 'passenger-car',
          fuelType: 'gasoline',
          emissionStandard: 'china-3',
          registrationDate: '2009-06-18',
        },
      });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['vehicle.vin']);
  });
});

describe('authentication and roles', () => {
  it('needs a bearer token and the right role', async () => {
    expect((await h.http.get('/pickups')).status).toBe(401);
    const tax = await h.as('tax-officer');
    expect((await h.http.post('/pickups').set(tax).send(applianceBooking())).status).toBe(403);
    expect((await h.http.get('/pickups').set(tax)).status).toBe(403);
    const resident = await h.as('resident', 'r-x');
    expect((await h.http.put('/sites/st-x').set(resident).send({})).status).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('is served without a token and documents every route the service has', async () => {
    const res = await h.http.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body).toEqual(JSON.parse(JSON.stringify(describeService(pickupService).document())));
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/pickups',
        '/pickups/{pickupId}',
        '/pickups/{pickupId}/cancel',
        '/sites/{siteId}',
        '/slots',
      ]),
    );
    expect(res.body.paths['/pickups'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreatePickup',
    });
  });
});
