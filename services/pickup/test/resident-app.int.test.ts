// What the resident's app needs from the pickup service: the served-area check before any form, a
// visit moved to another free slot (its seat moved by claim), the rules shown with each pickup, and
// who comes once the site has planned the visit (never on the event).
import { PickupView, ServiceAreaView } from '../src/http/schemas';
import {
  applianceBooking,
  inDays,
  registerSites,
  startHarness,
  STATION,
  waitFor,
  type Harness,
} from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('resident');
  await registerSites(h);
  const admin = await h.as('administrator');
  const dropOff = await h.http
    .put(`/sites/${STATION.siteId}`)
    .set(admin)
    .send({
      kind: 'station',
      name: { zh: '幸福路回收站', en: 'Xingfulu station' },
      enterpriseId: STATION.enterpriseId,
      districts: ['s-xingfulu', 't01'],
      active: true,
      dropOff: {
        districtCode: 's-xingfulu',
        address: { zh: '幸福路 88 号', en: '88 Xingfu Road' },
        hours: { zh: '每天 9:00-18:00', en: 'Daily 9:00-18:00' },
      },
    });
  expect(dropOff.status).toBe(200);
});

afterAll(async () => {
  await h?.stop();
});

describe('the served-area check', () => {
  it('lists every district with what is served there', async () => {
    const res = await h.http.get('/service-areas').set(await h.as('resident', 'r-area'));
    expect(res.status).toBe(200);
    const byCode = new Map(
      (res.body.items as Array<{ districtCode: string; appliances: boolean; vehicles: boolean }>).map((i) => [
        i.districtCode,
        i,
      ]),
    );
    expect(byCode.size).toBe(20);
    expect(byCode.get('s-xingfulu')).toMatchObject({ appliances: true, vehicles: true });
    expect(byCode.get('t10')).toMatchObject({ appliances: false, vehicles: true });
    expect(byCode.get('t02')).toMatchObject({ appliances: false, vehicles: false });
  });

  it('answers a served district with its next free visits, an unserved one with where to bring things', async () => {
    const resident = await h.as('resident', 'r-area');
    const served = ServiceAreaView.parse((await h.http.get('/service-areas/s-xingfulu').set(resident)).body);
    expect(served.appliances.served).toBe(true);
    expect(served.appliances.sites.map((s) => s.siteId)).toEqual([STATION.siteId]);
    expect(served.appliances.categories).toContain('refrigerator');
    expect(served.nextSlots[0]).toEqual({ date: inDays(1), window: '10:00-13:00' });
    expect(served.nextSlots).toHaveLength(3);

    const unserved = ServiceAreaView.parse((await h.http.get('/service-areas/t02').set(resident)).body);
    expect(unserved).toMatchObject({
      appliances: { served: false },
      vehicles: { served: false },
      nextSlots: [],
    });
    expect(unserved.dropOffs[0]).toMatchObject({
      siteId: STATION.siteId,
      address: { zh: '幸福路 88 号' },
      hours: { zh: '每天 9:00-18:00' },
    });

    const unknown = await h.http.get('/service-areas/t99').set(resident);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('params.districtCode');
  });
});

describe('rescheduling and the collector', () => {
  it('moves the visit to a free slot, frees the old seat, and shows who comes without putting it on the event', async () => {
    const events = await h.pickupEvents();
    try {
      const resident = await h.as('resident', 'r-move');
      const operator = await h.as('station-operator', STATION.siteId);
      // One seat a day: the old slot must come free for someone else after the move.
      const admin = await h.as('administrator');
      for (const days of [4, 5]) {
        const day = await h.http
          .put(`/districts/s-xingfulu/slots/${inDays(days)}`)
          .set(admin)
          .send({ windows: [{ window: '10:00-13:00', capacity: 1 }] });
        expect(day.status).toBe(200);
      }
      const booked = PickupView.parse(
        (
          await h.http
            .post('/pickups')
            .set(resident)
            .send(applianceBooking({ slot: { date: inDays(4), window: '10:00-13:00' } }))
        ).body,
      );
      expect(booked.actions).toEqual({
        cancel: { allowed: true },
        reschedule: { allowed: true, until: inDays(3) },
      });

      // The same slot is refused naming the field; a slot that is not a window of the day too.
      const same = await h.http
        .post(`/pickups/${booked.pickupId}/reschedule`)
        .set(resident)
        .send({ slot: { date: inDays(4), window: '10:00-13:00' } });
      expect(same.status).toBe(400);
      expect(same.body).toMatchObject({ code: 'same-slot', errors: [{ field: 'slot.window' }] });

      const moved = await h.http
        .post(`/pickups/${booked.pickupId}/reschedule`)
        .set(resident)
        .send({ slot: { date: inDays(5), window: '10:00-13:00' } });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({
        status: 'scheduled',
        slot: { date: inDays(5) },
        visit: { date: inDays(5), window: '10:00-13:00' },
      });
      expect(moved.body.history.at(-1)).toMatchObject({ event: 'rescheduled', status: 'scheduled' });
      // The old slot is free again, the new one is full.
      const slots = await h.http
        .get(`/slots?districtCode=s-xingfulu&from=${inDays(4)}&to=${inDays(5)}`)
        .set(resident);
      expect(slots.body.items).toEqual([
        expect.objectContaining({ date: inDays(4), available: 1 }),
        expect.objectContaining({ date: inDays(5), available: 0 }),
      ]);

      // The site plans the visit and names the collector; the resident sees them, the event does not.
      const collector = { name: '李师傅', phone: '13800138000' };
      const planned = await h.http
        .post(`/pickups/${booked.pickupId}/schedule`)
        .set(operator)
        .send({ crewId: 'crew-7', collector });
      expect(planned.status).toBe(200);
      const mine = PickupView.parse((await h.http.get(`/pickups/${booked.pickupId}`).set(resident)).body);
      expect(mine.visit?.collector).toEqual(collector);
      const admin2 = await h.http.get(`/pickups/${booked.pickupId}`).set(admin);
      expect(admin2.body.visit.collector.phone).not.toBe(collector.phone);

      const scheduledEvents = await waitFor(
        () => {
          const m = events.received.filter(
            (e) => e.key === booked.pickupId && e.headers.ce_type === 'recycling.pickup.scheduled.v1',
          );
          return m.length >= 2 && m;
        },
        { what: 'the reschedule and the plan on the topic' },
      );
      expect(JSON.parse(scheduledEvents[0]!.value!).slot).toEqual({ date: inDays(5), window: '10:00-13:00' });
      for (const e of scheduledEvents) {
        expect(e.value).not.toContain('李师傅');
        expect(e.value).not.toContain('13800138000');
      }
    } finally {
      await events.stop();
    }
  });

  it('refuses to move a visit on its day and a pickup another resident booked', async () => {
    const resident = await h.as('resident', 'r-late');
    const operator = await h.as('station-operator', STATION.siteId);
    const booked = (await h.http.post('/pickups').set(resident).send(applianceBooking())).body;
    // The site plans the visit for today (operators may).
    const today = inDays(0);
    const planned = await h.http
      .post(`/pickups/${booked.pickupId}/schedule`)
      .set(operator)
      .send({ slot: { date: today, window: '16:00-19:00' } });
    expect(planned.status).toBe(200);
    expect(planned.body.visit.date).toBe(today);
    const mine = PickupView.parse((await h.http.get(`/pickups/${booked.pickupId}`).set(resident)).body);
    expect(mine.actions?.reschedule).toMatchObject({ allowed: false, code: 'reschedule-too-late' });
    const late = await h.http
      .post(`/pickups/${booked.pickupId}/reschedule`)
      .set(resident)
      .send({ slot: { date: inDays(6), window: '10:00-13:00' } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('reschedule-too-late');
    expect(late.body.detail).toMatch(/联系回收员.*\/ Not on the day/);

    const other = await h.http
      .post(`/pickups/${booked.pickupId}/reschedule`)
      .set(await h.as('resident', 'r-someone-else'))
      .send({ slot: { date: inDays(6), window: '10:00-13:00' } });
    expect(other.status).toBe(404);
  });
});

describe("the resident's own list", () => {
  it('is read by `_id` from the resident’s list, newest first, and made once for earlier bookings', async () => {
    const resident = await h.as('resident', 'r-list');
    const first = (await h.http.post('/pickups').set(resident).send(applianceBooking())).body
      .pickupId as string;
    const second = (await h.http.post('/pickups').set(resident).send(applianceBooking())).body
      .pickupId as string;
    const lists = h.service.connection.collection('resident_pickups');
    expect(await lists.findOne({ _id: 'r-list' as never })).toMatchObject({ pickupIds: [first, second] });
    const mine = await h.http.get('/pickups').set(resident);
    expect(mine.body.items.map((p: { pickupId: string }) => p.pickupId)).toEqual([second, first]);
    // Bookings from before the lists: the list is made on the first read.
    await lists.deleteOne({ _id: 'r-list' as never });
    const again = await h.http.get('/pickups?limit=1').set(resident);
    expect(again.body.items.map((p: { pickupId: string }) => p.pickupId)).toEqual([second]);
    expect((await lists.findOne({ _id: 'r-list' as never }))?.pickupIds).toEqual([first, second]);
    // Nobody else's.
    const other = await h.http.get('/pickups').set(await h.as('resident', 'r-list-other'));
    expect(other.body.items).toEqual([]);
  });
});
