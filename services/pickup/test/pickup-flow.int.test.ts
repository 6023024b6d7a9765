import { fixtures } from '@recycling/contracts/fixtures';
import { PickupView, type PickupViewBody } from '../src/http/schemas';
import {
  applianceBooking,
  DISMANTLER,
  registerSites,
  startHarness,
  STATION,
  vehicleBooking,
  waitFor,
  type Harness,
} from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('flow');
  await registerSites(h);
});

afterAll(async () => {
  await h?.stop();
});

const statusOf = async (pickupId: string, auth: { Authorization: string }) =>
  (await h.http.get(`/pickups/${pickupId}`).set(auth)).body as PickupViewBody;

describe('an appliance pickup from booking to the station intake', () => {
  it('goes requested → scheduled → collected → delivered, publishing each step without personal data', async () => {
    const events = await h.pickupEvents();
    try {
      const resident = await h.as('resident', 'r-1001');
      const operator = await h.as('station-operator', STATION.siteId);

      const booked = await h.http.post('/pickups').set(resident).send(applianceBooking());
      expect(booked.status).toBe(201);
      const pickup = PickupView.parse(booked.body);
      expect(pickup).toMatchObject({
        status: 'requested',
        assignedSite: { kind: 'station', siteId: STATION.siteId },
      });
      expect(booked.headers.location).toBe(`/pickups/${pickup.pickupId}`);
      expect(pickup.contact.phone).toBe('13912345678'); // the resident sees what they entered

      const scheduled = await h.http
        .post(`/pickups/${pickup.pickupId}/schedule`)
        .set(operator)
        .send({ crewId: 'crew-xfl-2' });
      expect(scheduled.status).toBe(200);
      expect(scheduled.body).toMatchObject({
        status: 'scheduled',
        visit: { ...pickup.slot, crewId: 'crew-xfl-2' },
      });
      // The crew needs the address and phone for the visit.
      expect(scheduled.body.address.detail).toBe('幸福路 12 号 3 栋 2 单元 401');

      const taken = [{ category: 'refrigerator', count: 1, condition: 'faulty' }]; // the washer stayed
      const collected = await h.http
        .post(`/pickups/${pickup.pickupId}/collect`)
        .set(operator)
        .send({ appliances: taken });
      expect(collected.status).toBe(200);
      expect(collected.body).toMatchObject({ status: 'collected', collected: { appliances: taken } });

      // Every step is on the topic, keyed by the pickup, with no phone, name or street address.
      const mine = await waitFor(
        () => {
          const m = events.received.filter((e) => e.key === pickup.pickupId);
          return m.length >= 3 && m;
        },
        { what: 'three pickup events' },
      );
      expect(mine.map((m) => m.headers.ce_type)).toEqual([
        'recycling.pickup.requested.v1',
        'recycling.pickup.scheduled.v1',
        'recycling.pickup.collected.v1',
      ]);
      expect(mine[0]!.headers.ce_source).toBe('urn:recycling:659002:pickup');
      const requested = JSON.parse(mine[0]!.value!);
      expect(requested).toMatchObject({
        pickupId: pickup.pickupId,
        districtCode: 's-xingfulu',
        kind: 'appliances',
      });
      expect(requested.residentKey).toMatch(/^res-[0-9a-f]{24}$/);
      for (const m of mine) {
        expect(m.value).not.toContain('13912345678');
        expect(m.value).not.toContain('王建新');
        expect(m.value).not.toContain('幸福路 12 号');
        expect(m.value).not.toContain('r-1001');
      }
      expect(JSON.parse(mine[2]!.value!).appliances).toEqual(taken);

      // The station records the intake of this pickup (the contracts' fixture, with our pickup id).
      const intake = await h.publish('recycling.intake.recorded.v1', {
        source: { kind: 'pickup', pickupId: pickup.pickupId },
      });
      const delivered = await waitFor(
        async () => {
          const p = await statusOf(pickup.pickupId, resident);
          return p.status === 'delivered' && p;
        },
        { what: 'the pickup to show delivered' },
      );
      expect(delivered.delivery?.ref).toBe(fixtures['recycling.intake.recorded.v1'].intakeId);
      expect(delivered.history.map((e) => e.event)).toEqual([
        'requested',
        'scheduled',
        'collected',
        'intake-recorded',
      ]);
      expect(delivered.history.at(-1)).toMatchObject({ status: 'delivered', by: { role: 'station' } });

      // The same event delivered again changes nothing. A second pickup's intake behind it on the same
      // (single) partition tells when the duplicate has been processed.
      const second = PickupView.parse(
        (await h.http.post('/pickups').set(resident).send(applianceBooking())).body,
      );
      await h.publish(
        'recycling.intake.recorded.v1',
        { source: { kind: 'pickup', pickupId: pickup.pickupId } },
        intake.id,
      );
      await h.publish(
        'recycling.intake.recorded.v1',
        { intakeId: 'in-second', source: { kind: 'pickup', pickupId: second.pickupId } },
        '6f0c1c4e-7d7e-4b43-9a54-0b4d2b1f0001',
      );
      await waitFor(async () => (await statusOf(second.pickupId, resident)).status === 'delivered', {
        what: 'the second pickup delivered',
      });
      const after = await statusOf(pickup.pickupId, resident);
      expect(after.history.filter((e) => e.event === 'intake-recorded')).toHaveLength(1);
      expect(after.status).toBe('delivered');
    } finally {
      await events.stop();
    }
  });
});

describe('a vehicle pickup', () => {
  it('goes to the dismantler, and follows the vehicle to delivered and certified', async () => {
    const resident = await h.as('resident', 'r-2002');
    const operator = await h.as('dismantler-operator', DISMANTLER.siteId);
    const booked = await h.http.post('/pickups').set(resident).send(vehicleBooking());
    expect(booked.status).toBe(201);
    const pickup = PickupView.parse(booked.body);
    expect(pickup.assignedSite).toEqual({ kind: 'dismantler', siteId: DISMANTLER.siteId });
    expect(pickup.vehicle).toMatchObject({ plate: '新N12323', plateMasked: '新N·***23' });

    expect((await h.http.post(`/pickups/${pickup.pickupId}/schedule`).set(operator).send({})).status).toBe(
      200,
    );
    const { plate: _plate, ...onPapers } = { ...vehicleBooking().vehicle, emissionStandard: 'china-2' };
    const collected = await h.http
      .post(`/pickups/${pickup.pickupId}/collect`)
      .set(operator)
      .send({ vehicle: { ...onPapers, plate: '新N12323' } });
    expect(collected.status).toBe(200);
    expect(collected.body.collected.vehicle).toMatchObject({
      emissionStandard: 'china-2',
      plateMasked: '新N·***23',
    });

    await h.publish('recycling.vehicle.received.v1', { pickupId: pickup.pickupId });
    await waitFor(async () => (await statusOf(pickup.pickupId, resident)).status === 'delivered', {
      what: 'delivered',
    });
    await h.publish('recycling.vehicle.certificate-issued.v1', { pickupId: pickup.pickupId });
    const certified = await waitFor(
      async () => {
        const p = await statusOf(pickup.pickupId, resident);
        return p.status === 'certified' && p;
      },
      { what: 'certified' },
    );
    expect(certified.certificate?.certificateNo).toBe(
      fixtures['recycling.vehicle.certificate-issued.v1'].certificateNo,
    );
    expect(certified.history.map((e) => e.event)).toEqual([
      'requested',
      'scheduled',
      'collected',
      'vehicle-received',
      'certificate-issued',
    ]);
    expect(certified.statusName).toEqual({ zh: '已出具回收证明', en: 'Recycling certificate issued' });
  });
});

describe('downstream events that are not ours', () => {
  it("skips another city's event and an unknown pickup id, and keeps consuming", async () => {
    const resident = await h.as('resident', 'r-3003');
    const operator = await h.as('station-operator', STATION.siteId);
    const p = PickupView.parse((await h.http.post('/pickups').set(resident).send(applianceBooking())).body);
    await h.http.post(`/pickups/${p.pickupId}/schedule`).set(operator).send({});
    await h.http
      .post(`/pickups/${p.pickupId}/collect`)
      .set(operator)
      .send({ appliances: [{ category: 'television', count: 1 }] });

    // Urumqi's station reports an intake naming the same pickup id: not this city's pickup.
    await h.publish(
      'recycling.intake.recorded.v1',
      { intakeId: 'in-urumqi-1', source: { kind: 'pickup', pickupId: p.pickupId } },
      '6f0c1c4e-7d7e-4b43-9a54-0b4d2b1f0101',
      'urn:recycling:650100:sorting',
    );
    await h.publish(
      'recycling.intake.recorded.v1',
      { intakeId: 'in-unknown', source: { kind: 'pickup', pickupId: 'pk-nobody' } },
      '6f0c1c4e-7d7e-4b43-9a54-0b4d2b1f0102',
    );
    await h.publish(
      'recycling.intake.recorded.v1',
      { intakeId: 'in-alar-3', source: { kind: 'pickup', pickupId: p.pickupId } },
      '6f0c1c4e-7d7e-4b43-9a54-0b4d2b1f0103',
    );
    const delivered = await waitFor(
      async () => {
        const v = await statusOf(p.pickupId, resident);
        return v.status === 'delivered' && v;
      },
      { what: 'delivered by the Alar intake' },
    );
    expect(delivered.delivery?.ref).toBe('in-alar-3');
    expect(delivered.history.filter((e) => e.event === 'intake-recorded')).toHaveLength(1);
  });
});
